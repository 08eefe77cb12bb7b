export const ROLES = ['ROLE_ADMIN', 'ROLE_PRACTITIONER', 'ROLE_RECEPTIONIST'] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in user, as `/api/login` and `/api/token/refresh` describe them. */
export interface SessionUser {
  id: string;
  email: string;
  fullName: string;
  roles: string[];
  active: boolean;
  color: string | null;
  locale: string;
}

/** What the auth endpoints answer. */
export interface SignedInResponse {
  token: string;
  expiresIn: number;
  user: SessionUser;
}

/** Whether `user` holds `role`. */
export function hasRole(user: SessionUser | null | undefined, role: Role): boolean {
  return !!user && user.roles.includes(role);
}
