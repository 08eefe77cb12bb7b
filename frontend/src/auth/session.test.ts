import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeServer, problem } from '../test/fakeServer';
import { admin, receptionist, signedIn } from '../test/fixtures';
import { testSession } from '../test/renderApp';
import { refreshDelayMs } from './session';

afterEach(() => {
  vi.useRealTimers();
});

/** A key pressed somewhere in the page: the user is at the keyboard. */
function userActs(): void {
  window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
}

/** Let pending promises and short timers run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 50));
}

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

  it('on a 401 after the user did something, refreshes once, retries, and shares one refresh', async () => {
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
    userActs();
    const answers = await Promise.all([http.get('/api/users'), http.get('/api/users')]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(server.calls('POST /api/token/refresh')).toHaveLength(1);
    expect(server.calls('GET /api/users')).toHaveLength(4);
  });

  it('a 401 while the user is away waits for their next action before renewing', async () => {
    const second = signedIn(admin);
    const server = new FakeServer()
      .on('POST /api/login', { status: 200, body: signedIn(admin) })
      .on('POST /api/token/refresh', { status: 200, body: second })
      .on('GET /api/week', (request) =>
        request.headers.get('Authorization') === `Bearer ${second.token}` ? { status: 200, body: {} } : problem(401),
      );
    const { session, http } = testSession(server);
    await session.login('admin@demo.clinic', 'demo1234');
    const polled = http.get('/api/week'); // a background refetch, nobody at the keyboard
    await settle();
    expect(server.calls('POST /api/token/refresh')).toHaveLength(0);
    userActs();
    expect((await polled).status).toBe(200);
    expect(server.calls('POST /api/token/refresh')).toHaveLength(1);
  });

  it('when the session is over the page locks, the request waits and goes out again after signing in', async () => {
    const again = signedIn(admin);
    const server = new FakeServer()
      .on('POST /api/login', { status: 200, body: signedIn(admin) })
      .on('POST /api/token/refresh', problem(401))
      .on('POST /api/patients', (request) =>
        request.headers.get('Authorization') === `Bearer ${again.token}` ? { status: 201, body: { id: 'p1' } } : problem(401),
      );
    const { session, http } = testSession(server);
    await session.login('admin@demo.clinic', 'demo1234');
    userActs();
    const saved = http.post('/api/patients', { firstName: 'José' });
    await vi.waitFor(() => expect(session.getSnapshot().status).toBe('locked'));
    // The user and the page stay; only the token is gone.
    expect(session.getSnapshot()).toMatchObject({ status: 'locked', user: admin });
    expect(session.accessToken()).toBeNull();
    expect(server.calls('POST /api/patients')).toHaveLength(1);

    server.on('POST /api/login', { status: 200, body: again });
    await session.login(admin.email, 'demo1234');
    expect((await saved).status).toBe(201);
    const sent = server.calls('POST /api/patients');
    expect(sent).toHaveLength(2);
    expect(sent[1]!.body).toEqual({ firstName: 'José' });
    expect(session.getSnapshot().status).toBe('signedIn');
  });

  it('a locked session gives the held requests up when the user signs out instead', async () => {
    const server = new FakeServer()
      .on('POST /api/login', { status: 200, body: signedIn(admin) })
      .on('POST /api/token/refresh', problem(401))
      .on('POST /api/logout', { status: 204 })
      .on('GET /api/users', problem(401));
    const { session, http } = testSession(server);
    await session.login('admin@demo.clinic', 'demo1234');
    userActs();
    const held = http.get('/api/users');
    await vi.waitFor(() => expect(session.getSnapshot().status).toBe('locked'));
    await session.logout();
    await expect(held).rejects.toMatchObject({ response: { status: 401 } });
    expect(session.getSnapshot()).toMatchObject({ status: 'signedOut', endReason: 'loggedOut', user: null });
  });

  it('refreshes a minute before the token expires if the user was active, else at their next action', async () => {
    vi.useFakeTimers();
    const server = new FakeServer()
      .on('POST /api/login', { status: 200, body: signedIn(admin, 900) })
      .on('POST /api/token/refresh', { status: 200, body: signedIn(admin, 900) });
    const { session } = testSession(server);
    await session.login('admin@demo.clinic', 'demo1234');
    await vi.advanceTimersByTimeAsync(60_000);
    userActs();
    await vi.advanceTimersByTimeAsync(779_000);
    expect(server.calls('POST /api/token/refresh')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(server.calls('POST /api/token/refresh')).toHaveLength(1);
    expect(session.getSnapshot().status).toBe('signedIn');

    // Nobody touched anything since: the next refresh waits (renewing would keep an unattended
    // session alive) until the user is back.
    await vi.advanceTimersByTimeAsync(900_000);
    expect(server.calls('POST /api/token/refresh')).toHaveLength(1);
    userActs();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls('POST /api/token/refresh')).toHaveLength(2);
  });

  it('knows when the session ends, and locks when the server says it is over at that moment', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const server = new FakeServer()
      .on('POST /api/login', { status: 200, body: signedIn(admin, 900, { endsIn: 600, renewable: false }) })
      .on('POST /api/token/refresh', problem(401));
    const { session } = testSession(server);
    await session.login('admin@demo.clinic', 'demo1234');
    expect(session.getSnapshot().ending).toEqual({ at: 1_600_000, renewable: false });
    await vi.advanceTimersByTimeAsync(600_000);
    expect(session.getSnapshot().status).toBe('signedIn');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.calls('POST /api/token/refresh')).toHaveLength(1);
    expect(session.getSnapshot()).toMatchObject({ status: 'locked', user: admin });
  });

  it('"stay signed in" renews at once and moves the end', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const server = new FakeServer()
      .on('POST /api/login', { status: 200, body: signedIn(admin, 900, { endsIn: 120 }) })
      .on('POST /api/token/refresh', { status: 200, body: signedIn(admin, 900, { endsIn: 7200 }) });
    const { session } = testSession(server);
    await session.login('admin@demo.clinic', 'demo1234');
    await session.stayActive();
    expect(server.calls('POST /api/token/refresh')).toHaveLength(1);
    expect(session.getSnapshot().ending).toEqual({ at: 1_000_000 + 7_200_000, renewable: true });
  });

  it('follows the other tabs: their renewal moves the end, their sign-in unlocks this tab', async () => {
    const server = new FakeServer()
      .on('POST /api/login', { status: 200, body: signedIn(admin, 900, { endsIn: 100 }) })
      .on('POST /api/token/refresh', problem(401))
      .on('GET /api/users', problem(401));
    const { session: here, http } = testSession(server);
    const { session: there } = testSession(server);
    await here.login('admin@demo.clinic', 'demo1234');
    userActs();
    const held = http.get('/api/users').catch((error: unknown) => error);
    await vi.waitFor(() => expect(here.getSnapshot().status).toBe('locked'));

    const renewed = signedIn(admin, 900, { endsIn: 7200 });
    server
      .on('POST /api/login', { status: 200, body: renewed })
      .on('POST /api/token/refresh', { status: 200, body: signedIn(admin, 900, { endsIn: 7190 }) })
      .on('GET /api/users', { status: 200, body: { member: [] } });
    await there.login('admin@demo.clinic', 'demo1234');
    await vi.waitFor(() => expect(here.getSnapshot().status).toBe('signedIn'));
    expect(await held).toMatchObject({ status: 200 });
    await vi.waitFor(() => expect(there.getSnapshot().ending!.at).toBeGreaterThan(Date.now() + 7_000_000));
  });

  it('a locked tab whose cookie now belongs to someone else forgets the page', async () => {
    const server = new FakeServer()
      .on('POST /api/login', { status: 200, body: signedIn(admin) })
      .on('POST /api/token/refresh', problem(401));
    const { session } = testSession(server);
    await session.login('admin@demo.clinic', 'demo1234');
    await session.stayActive(); // refused: the session is over
    expect(session.getSnapshot().status).toBe('locked');
    server.on('POST /api/login', { status: 200, body: signedIn(receptionist) });
    await session.login('recepcion@demo.clinic', 'demo1234');
    expect(session.getSnapshot()).toMatchObject({ status: 'signedOut', user: null });
    expect(session.accessToken()).toBeNull();
  });

  it('a signed-in tab whose cookie now belongs to someone else forgets the page at its next refresh', async () => {
    const server = new FakeServer()
      .on('POST /api/login', { status: 200, body: signedIn(admin) })
      .on('POST /api/token/refresh', { status: 200, body: signedIn(receptionist) });
    const { session } = testSession(server);
    await session.login('admin@demo.clinic', 'demo1234');
    await session.stayActive();
    expect(session.getSnapshot()).toMatchObject({ status: 'signedOut', user: null, endReason: 'loggedOut' });
    expect(session.accessToken()).toBeNull();
  });

  it('reloaded while locked, it lands on /login saying the session expired (once)', async () => {
    const server = new FakeServer()
      .on('POST /api/login', { status: 200, body: signedIn(admin) })
      .on('POST /api/token/refresh', problem(401));
    const { session } = testSession(server);
    await session.login('admin@demo.clinic', 'demo1234');
    await session.stayActive(); // refused: locked
    expect(session.getSnapshot().status).toBe('locked');
    const { session: reloaded } = testSession(server);
    await reloaded.restore();
    expect(reloaded.getSnapshot()).toMatchObject({ status: 'signedOut', endReason: 'expired' });
    const { session: later } = testSession(server);
    await later.restore();
    expect(later.getSnapshot()).toMatchObject({ status: 'signedOut', endReason: null });
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
