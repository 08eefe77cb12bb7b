import type { AxiosError, AxiosInstance, InternalAxiosRequestConfig } from 'axios';
import { toApiError } from '../api/problem';
import type { SessionUser, SignedInResponse } from './types';

export type SessionStatus = 'restoring' | 'signedIn' | 'signedOut';
export type EndReason = 'expired' | 'loggedOut' | null;

export interface SessionSnapshot {
  status: SessionStatus;
  user: SessionUser | null;
  /** Why the last session ended, so the login page can say so. */
  endReason: EndReason;
}

const LOGIN = '/api/login';
const REFRESH = '/api/token/refresh';
const LOGOUT = '/api/logout';
const AUTH_PATHS = new Set([LOGIN, REFRESH, LOGOUT]);
const LOCK_NAME = 'clinic-token-refresh';
const CHANNEL_NAME = 'clinic-session';
const RETRY_REFRESH_MS = 30_000;

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
 * a reload or a new tab gets a new one through the HttpOnly refresh cookie.
 */
export class Session {
  private token: string | null = null;
  private snapshot: SessionSnapshot = { status: 'restoring', user: null, endReason: null };
  private readonly listeners = new Set<() => void>();
  private refreshing: Promise<boolean> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly channel: BroadcastChannel | null;

  constructor(private readonly http: AxiosInstance) {
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL_NAME);
    this.channel?.addEventListener('message', (event: MessageEvent) => {
      if (event.data === 'logout') this.end('loggedOut');
    });
    this.interceptors = [
      http.interceptors.request.use((config) => this.authorize(config)),
      http.interceptors.response.use(undefined, (error: AxiosError) => this.retryOnce(error)),
    ];
  }

  private readonly interceptors: [number, number];

  /** Stop timers and listeners and unhook from the HTTP client (tests, hot reload). */
  dispose(): void {
    clearTimeout(this.timer);
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
    if (!(await this.refresh())) this.end(null);
  }

  /** Sign in; throws an ApiError (401 wrong credentials, 429 throttled, …). */
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
    clearTimeout(this.timer);
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
    this.channel?.postMessage('logout');
  }

  /** Get a new access token with the refresh cookie (one request at a time, tabs included). */
  refresh(): Promise<boolean> {
    this.refreshing ??= withRefreshLock(() => this.requestNewToken()).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
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
      this.schedule(RETRY_REFRESH_MS);
      return true;
    }
  }

  private start(data: SignedInResponse): void {
    this.token = data.token;
    this.schedule(refreshDelayMs(data.expiresIn));
    this.set({ status: 'signedIn', user: data.user, endReason: null });
  }

  /** Forget the session here (the server side is ended by logout, or has already ended). */
  end(reason: EndReason): void {
    clearTimeout(this.timer);
    this.token = null;
    if (this.snapshot.status === 'signedOut' && this.snapshot.endReason === reason) return;
    this.set({ status: 'signedOut', user: null, endReason: reason });
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.refresh().then((ok) => ok || this.end('expired'));
    }, delayMs);
  }

  private set(next: SessionSnapshot): void {
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }

  private authorize(config: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
    if (this.token && !AUTH_PATHS.has(config.url ?? '') && !config.headers.has('Authorization')) {
      config.headers.set('Authorization', `Bearer ${this.token}`);
    }
    return config;
  }

  // A 401 on an ordinary call: the token expired or its session ended. Refresh once and retry;
  // if that fails the session is over and the app goes to the login page.
  private async retryOnce(error: AxiosError): Promise<unknown> {
    const config = error.config as RetriableConfig | undefined;
    const isAuthCall = AUTH_PATHS.has(config?.url ?? '');
    const signedIn = this.snapshot.status === 'signedIn';
    if (error.response?.status !== 401 || !config || config.sessionRetried || isAuthCall || !signedIn) {
      throw error;
    }
    config.sessionRetried = true;
    if (!(await this.refresh()) || !this.token) {
      this.end('expired');
      throw error;
    }
    config.headers.set('Authorization', `Bearer ${this.token}`);
    return this.http.request(config);
  }
}
