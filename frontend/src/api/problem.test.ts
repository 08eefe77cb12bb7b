import { describe, expect, it } from 'vitest';
import { FakeServer, problem } from '../test/fakeServer';
import { t } from '../i18n/i18n';
import { ApiError, errorMessage, errorMessageKey, fieldErrorsByName, toApiError } from './problem';

async function failureOf(reply: Parameters<FakeServer['on']>[1]): Promise<ApiError> {
  const server = new FakeServer().on('GET /api/thing', reply);
  try {
    await server.client().get('/api/thing');
  } catch (error) {
    return toApiError(error);
  }
  throw new Error('the request did not fail');
}

describe('toApiError', () => {
  it('reads a problem+json validation document with its field errors', async () => {
    const error = await failureOf(
      problem(422, {
        detail: 'email: value is not a valid email address',
        errors: [
          { field: 'email', message: 'value is not a valid email address' },
          { field: 'roles.0', message: "Input should be 'ROLE_ADMIN'" },
          { message: 'no field: ignored' },
        ],
      }),
    );
    expect(error).toMatchObject({ kind: 'http', status: 422, title: 'HTTP 422' });
    expect(error.detail).toBe('email: value is not a valid email address');
    expect(error.fieldErrors).toEqual([
      { field: 'email', message: 'value is not a valid email address' },
      { field: 'roles.0', message: "Input should be 'ROLE_ADMIN'" },
    ]);
    expect([...fieldErrorsByName(error).keys()]).toEqual(['email', 'roles']);
  });

  it('takes the wait of a 429 from the body, else from Retry-After', async () => {
    expect((await failureOf(problem(429, { retryAfter: 42 }, { 'retry-after': '99' }))).retryAfter).toBe(42);
    expect((await failureOf(problem(429, {}, { 'retry-after': '17' }))).retryAfter).toBe(17);
    expect((await failureOf(problem(429))).retryAfter).toBeNull();
  });

  it('tells an unreachable server from a refusal', async () => {
    const network = await failureOf({ network: true });
    expect(network).toMatchObject({ kind: 'network', status: null, unreachable: true });
    expect((await failureOf(problem(503))).unreachable).toBe(true);
    expect((await failureOf(problem(403))).unreachable).toBe(false);
  });

  it('copes with a body that is not a problem document', async () => {
    const error = await failureOf({ status: 500, body: '<html>oops</html>' });
    expect(error).toMatchObject({ status: 500, title: null, detail: null, fieldErrors: [] });
  });

  it('turns anything else thrown into a network-kind error', () => {
    expect(toApiError(new TypeError('boom')).kind).toBe('network');
  });
});

describe('errorMessage', () => {
  it.each([
    [400, 'errors.validation'],
    [401, 'session.expired'],
    [403, 'errors.forbidden'],
    [404, 'errors.notFound'],
    [409, 'errors.conflict'],
    [412, 'errors.staleEdit'],
    [422, 'errors.validation'],
    [429, 'errors.tooManyRequests'],
    [500, 'errors.generic'],
    [503, 'errors.serviceUnavailable'],
  ])('maps HTTP %i to %s', (status, key) => {
    expect(errorMessageKey(new ApiError({ kind: 'http', status }))).toBe(key);
  });

  it('tells a retried create whose first request is still running apart from a real conflict', () => {
    const running = new ApiError({
      kind: 'http',
      status: 409,
      detail: 'The first request with this Idempotency-Key is still being processed.',
    });
    expect(errorMessageKey(running)).toBe('errors.stillProcessing');
    expect(errorMessage(running, t)).toMatch(/^Todavía se está guardando lo que enviaste antes/);
    const taken = new ApiError({ kind: 'http', status: 409, detail: 'Tax id already registered' });
    expect(errorMessageKey(taken)).toBe('errors.conflict');
  });

  it('translates, filling the wait of a 429', () => {
    const throttled = new ApiError({ kind: 'http', status: 429, retryAfter: 12 });
    expect(errorMessage(throttled, t)).toBe(
      'Demasiadas peticiones. Vuelve a intentarlo en 12 segundos.',
    );
    expect(errorMessage(new ApiError({ kind: 'timeout' }), t)).toBe(
      'El servidor ha tardado demasiado en responder.',
    );
    expect(errorMessage(new ApiError({ kind: 'http', status: 412 }), t)).toMatch(/Otra persona/);
  });
});
