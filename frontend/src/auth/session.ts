import type { AxiosError, AxiosInstance, InternalAxiosRequestConfig } from 'axios';
import { toApiError } from '../api/problem';
import { ActivityWatcher } from './activity';
import { markLocked, wasLocked } from './lockedMark';
import type { SessionUser, SignedInResponse } from './types';

/**
 * `locked`: the session ended on the server while someone was working. The page, what was
 * typed and the user stay; the user signs in again in a dialog over them, and the requests
 * refused meanwhile are sent again once they have.
 */
export type SessionStatus = 'restoring' | 'signedIn' | 'locked' | 'signedOut';
export type EndReason = 'expired' | 'loggedOut' | null;

/** When the session ends unless renewed (this tab's clock, epoch ms), and whether it can be. */
export interface SessionEnding {
  at: number;
  /** False once the end is the admin's maximum: only signing in again goes past it. */
  renewable: boolean;
}

export interface SessionSnapshot {
  status: SessionStatus;
  user: SessionUser | null;
  /** Why the last session ended, so the login page can say so. */
  endReason: EndReason;
  ending: SessionEnding | null;
}

/** What one tab tells the others: a logout, or that the shared session was renewed. */
type TabMessage = 'logout' | { kind: 'session'; userId: string; endsInMs: number; renewable: boolean };

const LOGIN = '/api/login';
const REFRESH = '/api/token/refresh';
const LOGOUT = '/api/logout';
const AUTH_PATHS = new Set([LOGIN, REFRESH, LOGOUT]);
const LOCK_NAME = 'clinic-token-refresh';
const CHANNEL_NAME = 'clinic-session';
const RETRY_REFRESH_MS = 30_000;
// The server's end is reached a moment before this tab's estimate (latency); wait past it.
const END_MARGIN_MS = 1_000;

type RetriableConfig = InternalAxiosRequestConfig & { sessionRetried?: boolean };

/** When to refresh a token living `expiresIn` seconds: a minute early, or at 80 % if short. */
export function refreshDelayMs(expiresIn: number): number {
  const lifetime = Math.max(0, expiresIn) * 1000;
  return Math.max(lifetime * 0.8, lifetime - 60_000);
}

// The refresh token rotates and a reused one ends the session, so tabs must never refresh at
// the same moment: the Web Locks API serialises them (each then sends the newest cookie).
function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? locks.request(LOCK_NAME, work) : work();
}

/**
 * The signed-in state. The access token lives only in this object's memory (ADR 0007):
 * a reload or a new tab gets a new one through the HttpOnly refresh cookie. Refreshing renews
 * the session on the server, so the token is refreshed only after the user did something.
 */
export class Session {
  private token: string | null = null;
  private issuedAt = 0;
  private tokenDue = false;
  private snapshot: SessionSnapshot = { status: 'restoring', user: null, endReason: null, ending: null };
  private readonly listeners = new Set<() => void>();
  private readonly unlockWaiters = new Set<(unlocked: boolean) => void>();
  private refreshing: Promise<boolean> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private endTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly channel: BroadcastChannel | null;
  private readonly activity = new ActivityWatcher(() => this.onActivity());
  private readonly interceptors: [number, number];

  constructor(private readonly http: AxiosInstance) {
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL_NAME);
    this.channel?.addEventListener('message', (event: MessageEvent<TabMessage>) => this.onTabMessage(event.data));
    this.interceptors = [
      http.interceptors.request.use((config) => this.authorize(config)),
      http.interceptors.response.use(undefined, (error: AxiosError) => this.retryOnce(error)),
    ];
  }

  /** Stop timers and listeners and unhook from the HTTP client (tests, hot reload). */
  dispose(): void {
    this.clearTimers();
    this.activity.dispose();
    this.channel?.close();
    this.http.interceptors.request.eject(this.interceptors[0]);
    this.http.interceptors.response.eject(this.interceptors[1]);
  }

  readonly getSnapshot = (): SessionSnapshot => this.snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The current access token (memory only), for requests made outside the shared client. */
  accessToken(): string | null {
    return this.token;
  }

  /** On start-up: turn the refresh cookie, if any, into a session. */
  async restore(): Promise<void> {
    if (!(await this.refresh())) this.end(wasLocked() ? 'expired' : null);
  }

  /** Sign in (also from the dialog over a locked page); throws an ApiError (401, 429, …). */
  async login(email: string, password: string): Promise<SessionUser> {
    try {
      const { data } = await this.http.post<SignedInResponse>(LOGIN, { email, password });
      this.start(data);
      return data.user;
    } catch (error) {
      throw toApiError(error);
    }
  }

  /** End the session on the server, then here; other tabs follow. */
  async logout(): Promise<void> {
    const token = this.token;
    this.clearTimers();
    try {
      // Awaited: once the login page shows, the server has revoked the session.
      await this.http.post(LOGOUT, null, {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        timeout: 5_000,
      });
    } catch {
      // Unreachable server: forget the session here anyway; it expires on its own.
    }
    this.end('loggedOut');
    this.channel?.postMessage('logout' satisfies TabMessage);
  }

  /** Get a new access token with the refresh cookie (one request at a time, tabs included). */
  refresh(): Promise<boolean> {
    this.refreshing ??= withRefreshLock(() => this.requestNewToken()).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** "Stay signed in": the user asked, so renew now; a refused renewal locks the page. */
  async stayActive(): Promise<void> {
    this.activity.note();
    await this.renew();
  }

  /** Forget the session here (the server side is ended by logout, or has already ended). */
  end(reason: EndReason): void {
    this.clearTimers();
    this.token = null;
    this.settleWaiters(false);
    markLocked(false);
    if (this.snapshot.status === 'signedOut' && this.snapshot.endReason === reason) return;
    this.set({ status: 'signedOut', user: null, endReason: reason, ending: null });
  }

  /** The session ended under the user: keep the page and the user, ask for the password. */
  lock(): void {
    if (this.snapshot.status !== 'signedIn') return;
    this.clearTimers();
    this.token = null;
    markLocked(true);
    this.set({ ...this.snapshot, status: 'locked' });
  }

  private async requestNewToken(): Promise<boolean> {
    try {
      const { data } = await this.http.post<SignedInResponse>(REFRESH);
      this.start(data);
      return true;
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.status === 401 || apiError.status === 403 || this.token === null) return false;
      // The server is unreachable: keep the token while it lasts and try again soon.
      this.scheduleRefresh(RETRY_REFRESH_MS);
      return true;
    }
  }

  private start(data: SignedInResponse): void {
    const { status, user } = this.snapshot;
    if ((status === 'locked' || status === 'signedIn') && user && user.id !== data.user.id) {
      // Someone else signed in (another tab): what this page holds is not theirs to see.
      this.end('loggedOut');
      return;
    }
    this.token = data.token;
    markLocked(false);
    this.issuedAt = Date.now();
    this.tokenDue = false;
    this.scheduleRefresh(refreshDelayMs(data.expiresIn));
    const ending = this.watchEnd(data.sessionExpiresIn * 1000, data.sessionRenewable);
    this.set({ status: 'signedIn', user: data.user, endReason: null, ending });
    this.settleWaiters(true);
    this.channel?.postMessage({
      kind: 'session',
      userId: data.user.id,
      endsInMs: data.sessionExpiresIn * 1000,
      renewable: data.sessionRenewable,
    } satisfies TabMessage);
  }

  private onTabMessage(message: TabMessage): void {
    if (message === 'logout') {
      this.end('loggedOut');
      return;
    }
    const { status, user } = this.snapshot;
    if (message.kind !== 'session' || user?.id !== message.userId) return;
    if (status === 'locked') {
      // Another tab signed in again: the cookie works once more, take a token from it.
      void this.refresh();
    } else if (status === 'signedIn') {
      // Another tab renewed the shared session: its end moved for this tab too.
      const ending = this.watchEnd(message.endsInMs, message.renewable);
      this.set({ ...this.snapshot, ending });
    }
  }

  // At the session's end, ask the server: another tab may have renewed it (200), or it is over.
  private watchEnd(endsInMs: number, renewable: boolean): SessionEnding {
    clearTimeout(this.endTimer);
    this.endTimer = setTimeout(() => void this.renew(), Math.max(0, endsInMs) + END_MARGIN_MS);
    return { at: Date.now() + endsInMs, renewable };
  }

  private async renew(): Promise<void> {
    if (!(await this.refresh())) this.lock();
  }

  private onActivity(): void {
    if (this.tokenDue && this.snapshot.status === 'signedIn') {
      this.tokenDue = false;
      void this.renew();
    }
  }

  private scheduleRefresh(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      // Without activity since the token was issued, renewing would keep an unattended
      // session alive: wait for the user's next action instead.
      if (this.activity.activeSince(this.issuedAt)) void this.renew();
      else this.tokenDue = true;
    }, delayMs);
  }

  private clearTimers(): void {
    clearTimeout(this.timer);
    clearTimeout(this.endTimer);
    this.tokenDue = false;
  }

  private untilUnlocked(): Promise<boolean> {
    if (this.snapshot.status !== 'locked') return Promise.resolve(this.snapshot.status === 'signedIn');
    return new Promise((resolve) => this.unlockWaiters.add(resolve));
  }

  private settleWaiters(unlocked: boolean): void {
    for (const resolve of this.unlockWaiters) resolve(unlocked);
    this.unlockWaiters.clear();
  }

  private set(next: SessionSnapshot): void {
    this.snapshot = next;
    this.activity.wake();
    for (const listener of this.listeners) listener();
  }

  private authorize(config: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
    if (this.token && !AUTH_PATHS.has(config.url ?? '') && !config.headers.has('Authorization')) {
      config.headers.set('Authorization', `Bearer ${this.token}`);
    }
    return config;
  }

  // A 401 on an ordinary call: the token expired or its session ended. Refresh once (after the
  // user's next action, if they have been away) and retry. If the session is over the page
  // locks and the request waits for the user to sign in again, then goes out once more: a
  // 401 means the server did nothing with it, so sending it again is safe.
  private async retryOnce(error: AxiosError): Promise<unknown> {
    const config = error.config as RetriableConfig | undefined;
    const isAuthCall = AUTH_PATHS.has(config?.url ?? '');
    const live = this.snapshot.status === 'signedIn' || this.snapshot.status === 'locked';
    if (error.response?.status !== 401 || !config || config.sessionRetried || isAuthCall || !live) {
      throw error;
    }
    config.sessionRetried = true;
    if (this.snapshot.status === 'signedIn' && !this.activity.activeSince(this.issuedAt)) {
      await this.activity.next();
    }
    if (this.snapshot.status === 'signedIn' && !(await this.refresh())) this.lock();
    if (!(await this.untilUnlocked()) || !this.token) throw error;
    config.headers.set('Authorization', `Bearer ${this.token}`);
    return this.http.request(config);
  }
}
