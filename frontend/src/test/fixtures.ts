import type { UserDetail } from '../api/users';
import type { SessionUser, SignedInResponse } from '../auth/types';

export const admin: SessionUser = {
  id: 'u-admin',
  email: 'admin@demo.clinic',
  fullName: 'Ana García',
  roles: ['ROLE_ADMIN'],
  active: true,
  color: null,
  locale: 'es',
};

export const receptionist: SessionUser = {
  id: 'u-recepcion',
  email: 'recepcion@demo.clinic',
  fullName: 'Carmen López',
  roles: ['ROLE_RECEPTIONIST'],
  active: true,
  color: null,
  locale: 'es',
};

let issued = 0;

/** What /api/login and /api/token/refresh answer for `user`, with a new token each time. */
export function signedIn(user: SessionUser, expiresIn = 900): SignedInResponse {
  issued += 1;
  return { token: `token-${issued}`, expiresIn, user };
}

/** A stored account as `/api/users/{id}` returns it. */
export function userDetail(overrides: Partial<UserDetail> = {}): UserDetail {
  return {
    id: 'u-laura',
    email: 'fisio@demo.clinic',
    fullName: 'Laura Martínez',
    roles: ['ROLE_PRACTITIONER'],
    active: true,
    color: '#2563eb',
    locale: 'es',
    createdAt: '2026-11-20T09:30:00Z',
    updatedAt: '2026-11-21T10:00:00Z',
    version: 1,
    ...overrides,
  };
}
