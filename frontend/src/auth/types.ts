import type { Schema } from '../api/http';

export const ROLES = ['ROLE_ADMIN', 'ROLE_PRACTITIONER', 'ROLE_RECEPTIONIST'] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in user, as `/api/login` and `/api/token/refresh` describe them. */
export type SessionUser = Schema<'UserPublic'>;

/** What the auth endpoints answer. */
export type SignedInResponse = Schema<'LoginResponse'>;

/** Whether `user` holds `role`. */
export function hasRole(user: SessionUser | null | undefined, role: Role): boolean {
  return !!user && user.roles.includes(role);
}

/** A physiotherapist who does not also run reception or the clinic: their own day comes first. */
export function isPractitionerOnly(user: SessionUser | null | undefined): boolean {
  return (
    hasRole(user, 'ROLE_PRACTITIONER') &&
    !hasRole(user, 'ROLE_ADMIN') &&
    !hasRole(user, 'ROLE_RECEPTIONIST')
  );
}
