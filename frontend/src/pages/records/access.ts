import { hasRole, type Role, type SessionUser } from '../../auth/types';

/**
 * Who reads clinical records: practitioners and admins. Receptionists get 403 on every records
 * route, and the app shows them no clinical content at all (no section, no link, no request).
 */
export const RECORDS_ROLES: readonly Role[] = ['ROLE_ADMIN', 'ROLE_PRACTITIONER'];

/** Whether `user` may see the clinical history. */
export function canReadRecords(user: SessionUser | null | undefined): boolean {
  return RECORDS_ROLES.some((role) => hasRole(user, role));
}

/** Whether `user` writes session notes (the dashboard's list, "write the note" on a session). */
export function writesNotes(user: SessionUser | null | undefined): boolean {
  return hasRole(user, 'ROLE_PRACTITIONER');
}
