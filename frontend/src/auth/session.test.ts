import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeServer, problem } from '../test/fakeServer';
import { admin, signedIn } from '../test/fixtures';
import { testSession } from '../test/renderApp';
import { refreshDelayMs } from './session';

afterEach(() => {
  vi.useRealTimers();
});

describe('Session', () => {
  it('restores a session from the refresh cookie and sends its token', async () => {
    const restored = signedIn(admin);
    const server = new FakeServer()
      .on('POST /api/token/refresh', { status: 200, body: restored })
      .on('GET /api/me', { status: 200, body: admin });
    const { session, http } = testSession(server);
    await session.restore();
    expect(session.getSnapshot()).toMatchObject({ status: 'signedIn', user: admin });
    await http.get('/api/me');
    const [me] = server.calls('GET /api/me');
    expect(me!.headers.get('Authorization')).toBe(`Bearer ${restored.token}`);
    expect(server.calls('POST /api/token/refresh')[0]!.headers.has('Authorization')).toBe(false);
  });

  it('is signed out when there is no refresh cookie, or the server cannot be reached', async () => {
    const { session: refused } = testSession(new FakeServer().on('POST /api/token/refresh', problem(401)));
    await refused.restore();
    expect(refused.getSnapshot()).toMatchObject({ status: 'signedOut', endReason: null });
    const { session: offline } = testSession(
      new FakeServer().on('POST /api/token/refresh', { network: true }),
    );
    await offline.restore();
    expect(offline.getSnapshot().status).toBe('signedOut');
  });

  it('keeps the token in memory only', async () => {
    const login = signedIn(admin);
    const server = new FakeServer().on('POST /api/login', { status: 200, body: login });
    const { session } = testSession(server);
    await session.login('admin@demo.clinic', 'demo1234');
    expect(session.accessToken()).toBe(login.token);
    const stored = JSON.stringify({ ...window.localStorage, ...window.sessionStorage });
    expect(stored).not.toContain(login.token);
    expect(document.cookie).not.toContain(login.token);
  });

  it('on a 401 refreshes once, retries with the new token, and shares one refresh', async () => {
    const first = signedIn(admin);
    const second = signedIn(admin);
    const server = new FakeServer()
      .on('POST /api/login', { status: 200, body: first })
      .on('POST /api/token/refresh', { status: 200, body: second })
      .on('GET /api/users', (request) =>
        request.headers.get('Authorization') === `Bearer ${second.token}`
          ? { status: 200, body: { member: [] } }
          : problem(401),
      );
    const { session, http } = testSession(server);
    await session.login('admin@demo.clinic', 'demo1234');
    const answers = await Promise.all([http.get('/api/users'), http.get('/api/users')]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(server.calls('POST /api/token/refresh')).toHaveLength(1);
    expect(server.calls('GET /api/users')).toHaveLength(4);
  });

  it('ends the session as expired when the refresh is refused', async () => {
    const server = new FakeServer()
      .on('POST /api/login', { status: 200, body: signedIn(admin) })
      .on('POST /api/token/refresh', problem(401))
      .on('GET /api/users', problem(401));
    const { session, http } = testSession(server);
    await session.login('admin@demo.clinic', 'demo1234');
    await expect(http.get('/api/users')).rejects.toMatchObject({ response: { status: 401 } });
    expect(session.getSnapshot()).toMatchObject({ status: 'signedOut', endReason: 'expired' });
    expect(session.accessToken()).toBeNull();
    expect(server.calls('GET /api/users')).toHaveLength(1);
  });

  it('refreshes a minute before the token expires', async () => {
    vi.useFakeTimers();
    const server = new FakeServer()
      .on('POST /api/login', { status: 200, body: signedIn(admin, 900) })
      .on('POST /api/token/refresh', { status: 200, body: signedIn(admin, 900) });
    const { session } = testSession(server);
    await session.login('admin@demo.clinic', 'demo1234');
    await vi.advanceTimersByTimeAsync(839_000);
    expect(server.calls('POST /api/token/refresh')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(server.calls('POST /api/token/refresh')).toHaveLength(1);
    expect(session.getSnapshot().status).toBe('signedIn');
  });

  it('logs out on the server with its token and forgets it', async () => {
    const login = signedIn(admin);
    const server = new FakeServer()
      .on('POST /api/login', { status: 200, body: login })
      .on('POST /api/logout', { status: 204 });
    const { session } = testSession(server);
    await session.login('admin@demo.clinic', 'demo1234');
    await session.logout();
    const [logout] = server.calls('POST /api/logout');
    expect(logout!.headers.get('Authorization')).toBe(`Bearer ${login.token}`);
    expect(session.getSnapshot()).toMatchObject({ status: 'signedOut', endReason: 'loggedOut' });
    expect(session.accessToken()).toBeNull();
  });

  it('signs out here even when the server cannot be told', async () => {
    const server = new FakeServer()
      .on('POST /api/login', { status: 200, body: signedIn(admin) })
      .on('POST /api/logout', { network: true });
    const { session } = testSession(server);
    await session.login('admin@demo.clinic', 'demo1234');
    await session.logout();
    expect(session.getSnapshot()).toMatchObject({ status: 'signedOut', endReason: 'loggedOut' });
  });

  it('computes the refresh delay from the token lifetime', () => {
    expect(refreshDelayMs(900)).toBe(840_000);
    expect(refreshDelayMs(60)).toBe(48_000);
    expect(refreshDelayMs(0)).toBe(0);
  });
});
