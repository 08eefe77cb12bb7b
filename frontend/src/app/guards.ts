import type { Session } from '../auth/session';
import { hasRole, type Role } from '../auth/types';

/** Thrown by a route guard when the user's role may not open the page. */
export class ForbiddenError extends Error {
  constructor() {
    super('forbidden');
    this.name = 'ForbiddenError';
  }
}

/** Where to go after signing in: an in-app path only (never another site, never /login). */
export function safeRedirect(target: unknown): string {
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//')) return '/';
  if (target.startsWith('/\\') || target === '/login' || target.startsWith('/login?')) return '/';
  return target;
}

/** The search of /login when `session` ended while the user was on `href`. */
export function loginSearch(session: Session, href: string): { redirect?: string } {
  // After a deliberate logout the next person starts from the dashboard, not the last page.
  if (session.getSnapshot().endReason === 'loggedOut' || href === '/') return {};
  return { redirect: href };
}

/** Throw ForbiddenError unless the signed-in user holds `role`. */
export function requireRole(session: Session, role: Role): void {
  if (!hasRole(session.getSnapshot().user, role)) throw new ForbiddenError();
}

/** Throw ForbiddenError unless the signed-in user holds one of `roles` (billing: admin or desk). */
export function requireAnyRole(session: Session, roles: readonly Role[]): void {
  const user = session.getSnapshot().user;
  if (!roles.some((role) => hasRole(user, role))) throw new ForbiddenError();
}
