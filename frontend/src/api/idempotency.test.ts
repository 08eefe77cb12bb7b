import { renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { idempotencyHeaders, newIdempotencyKey, useIdempotencyKey } from './idempotency';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A browser page served over plain HTTP: no randomUUID, only getRandomValues. */
function insecureCrypto(fill?: number): Crypto {
  return {
    getRandomValues: (array: Uint8Array<ArrayBuffer>) =>
      fill === undefined ? globalThis.crypto.getRandomValues(array) : array.fill(fill),
  } as unknown as Crypto;
}

describe('newIdempotencyKey', () => {
  it('uses randomUUID where the browser has it', () => {
    const secure = { randomUUID: () => '11111111-2222-4333-8444-555555555555' } as unknown as Crypto;
    expect(newIdempotencyKey(secure)).toBe('11111111-2222-4333-8444-555555555555');
    expect(newIdempotencyKey()).toMatch(UUID_V4);
  });

  it('builds a version-4 UUID from random bytes outside secure contexts', () => {
    expect(newIdempotencyKey(insecureCrypto(0))).toBe('00000000-0000-4000-8000-000000000000');
    expect(newIdempotencyKey(insecureCrypto(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    const keys = new Set(Array.from({ length: 50 }, () => newIdempotencyKey(insecureCrypto())));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(UUID_V4);
  });

  it('becomes the Idempotency-Key header, or no header without a key', () => {
    expect(idempotencyHeaders('k-1')).toEqual({ 'Idempotency-Key': 'k-1' });
    expect(idempotencyHeaders(undefined)).toEqual({});
  });
});

describe('useIdempotencyKey', () => {
  it('keeps the key while the body is unchanged, and changes it with the body or after a reset', () => {
    const { result, rerender } = renderHook(() => useIdempotencyKey());
    const first = result.current.keyFor({ name: 'José', notes: null });
    expect(first).toMatch(UUID_V4);
    // The same content, even as another object and after a re-render: the same request.
    rerender();
    expect(result.current.keyFor({ name: 'José', notes: null })).toBe(first);

    const changed = result.current.keyFor({ name: 'José', notes: 'Trae la resonancia' });
    expect(changed).not.toBe(first);
    expect(result.current.keyFor({ name: 'José', notes: 'Trae la resonancia' })).toBe(changed);

    result.current.reset(); // created: the next submission is a new request, even with equal data
    const next = result.current.keyFor({ name: 'José', notes: 'Trae la resonancia' });
    expect(next).toMatch(UUID_V4);
    expect(next).not.toBe(changed);
  });

  it('is the same object across renders (safe in effect and callback dependencies)', () => {
    const { result, rerender } = renderHook(() => useIdempotencyKey());
    const before = result.current;
    rerender();
    expect(result.current).toBe(before);
  });
});
