import { type ApiError, fieldErrorsByName } from '../../api/problem';
import type { UserCreate, UserDetail, UserUpdate } from '../../api/users';
import { ROLES, type Role } from '../../auth/types';
import type { Locale, TranslationKey } from '../../i18n/catalogs';
import { looksLikeEmail } from '../../lib/email';

/** What the user form edits; kept as typed, so a failed save loses nothing. */
export interface UserFormValues {
  email: string;
  fullName: string;
  roles: Role[];
  color: string;
  locale: Locale;
  active: boolean;
  password: string;
}

export type UserField = keyof UserFormValues;
export type UserFieldErrors = Partial<Record<UserField, TranslationKey>>;

export const ROLE_LABELS: Record<Role, TranslationKey> = {
  ROLE_ADMIN: 'role.ROLE_ADMIN',
  ROLE_PRACTITIONER: 'role.ROLE_PRACTITIONER',
  ROLE_RECEPTIONIST: 'role.ROLE_RECEPTIONIST',
};

const DEFAULT_COLOR = '#0f766e';

const INVALID: Record<UserField, TranslationKey> = {
  email: 'users.errors.email',
  fullName: 'users.errors.fullName',
  roles: 'users.errors.roles',
  color: 'users.errors.color',
  locale: 'errors.invalidValue',
  active: 'errors.invalidValue',
  password: 'users.errors.password',
};

/** An empty form for a new account. */
export function emptyUserForm(): UserFormValues {
  return {
    email: '',
    fullName: '',
    roles: [],
    color: DEFAULT_COLOR,
    locale: 'es',
    active: true,
    password: '',
  };
}

/** The form filled with a stored account (the password stays empty: it is only ever reset). */
export function userFormFrom(user: UserDetail): UserFormValues {
  return {
    email: user.email,
    fullName: user.fullName,
    roles: ROLES.filter((role) => user.roles.includes(role)),
    color: user.color ?? DEFAULT_COLOR,
    locale: user.locale === 'en' ? 'en' : 'es',
    active: user.active,
    password: '',
  };
}

/** The body of `POST /api/users`. */
export function toUserCreate(values: UserFormValues): UserCreate {
  return {
    email: values.email.trim(),
    fullName: values.fullName.trim(),
    roles: values.roles,
    color: values.color || null,
    locale: values.locale,
    password: values.password,
  };
}

/** The body of `PUT /api/users/{id}`; an empty password field keeps the current password. */
export function toUserUpdate(values: UserFormValues): UserUpdate {
  const { password, ...rest } = toUserCreate(values);
  return { ...rest, active: values.active, ...(password ? { password } : {}) };
}

function isUserField(name: string): name is UserField {
  return name in INVALID;
}

/** The server's field errors, as translated messages for the form's fields. */
export function userFieldErrors(error: ApiError): UserFieldErrors {
  const result: UserFieldErrors = {};
  for (const [name] of fieldErrorsByName(error)) {
    if (!isUserField(name)) continue;
    if (error.status === 409 && name === 'email') result.email = 'users.errors.emailTaken';
    else if (error.status === 409) result[name] = 'users.errors.lastAdmin';
    else result[name] = INVALID[name];
  }
  return result;
}

/** The password rule the server applies (8–128 characters, not only spaces). */
function passwordProblem(password: string): boolean {
  return password.length < 8 || password.length > 128 || !password.trim();
}

/**
 * The form checked before sending, in the app's language (the browser's own English bubbles are
 * off: the form is `noValidate`). An empty password on an edit keeps the current one.
 */
export function checkUserForm(values: UserFormValues, mode: 'create' | 'edit'): UserFieldErrors {
  const errors: UserFieldErrors = {};
  const fullName = values.fullName.trim();
  if (!fullName || fullName.length > 100) errors.fullName = INVALID.fullName;
  if (!looksLikeEmail(values.email.trim()) || values.email.trim().length > 254) errors.email = INVALID.email;
  if (values.roles.length === 0) errors.roles = INVALID.roles;
  if ((mode === 'create' || values.password) && passwordProblem(values.password)) errors.password = INVALID.password;
  return errors;
}

/** The id of the form control where a field's error is fixed, to focus the first one. */
export const USER_FIELD_IDS: Partial<Record<UserField, string>> = {
  fullName: 'user-fullName',
  email: 'user-email',
  roles: 'user-roles',
  password: 'user-password',
};
