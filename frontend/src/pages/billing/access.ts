import { hasRole, type Role, type SessionUser } from '../../auth/types';

/** Who bills: the front desk and admins. Practitioners get 403 on every billing route. */
export const BILLING_ROLES: readonly Role[] = ['ROLE_ADMIN', 'ROLE_RECEPTIONIST'];

/** Whether `user` may see invoices, customers and the billing counters. */
export function canBill(user: SessionUser | null | undefined): boolean {
  return BILLING_ROLES.some((role) => hasRole(user, role));
}
