import { type FormEvent, type ReactNode, useState } from 'react';
import { type ApiError, errorMessage } from '../../api/problem';
import { ROLES, type Role } from '../../auth/types';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { colorInputClass, focusRing, inputClass, primaryButton } from '../../components/styles';
import { isLocale } from '../../i18n/catalogs';
import { useI18n } from '../../i18n/useI18n';
import {
  checkUserForm,
  ROLE_LABELS,
  USER_FIELD_IDS,
  type UserFieldErrors,
  type UserFormValues,
  userFieldErrors,
} from './userFields';

interface UserFormProps {
  mode: 'create' | 'edit';
  values: UserFormValues;
  onChange: (values: UserFormValues) => void;
  onSubmit: () => void;
  submitting: boolean;
  /** The last failed save (a 412 is the page's to explain, with its reload offer). */
  error: ApiError | null;
  children?: ReactNode;
}

const checkbox = `h-5 w-5 rounded border-slate-400 text-teal-700 ${focusRing}`;

/** The fields of a staff account, with the server's errors beside them. */
export function UserForm({ mode, values, onChange, onSubmit, submitting, error, children }: UserFormProps) {
  const { t } = useI18n();
  // What the last try to send found wrong before asking the server (null: it found nothing).
  const [checked, setChecked] = useState<UserFieldErrors | null>(null);
  const fieldErrors = checked ?? (error ? userFieldErrors(error) : {});
  const hasFieldErrors = Object.keys(fieldErrors).length > 0;
  const fieldError = (name: keyof UserFormValues) => {
    const key = fieldErrors[name];
    return key ? t(key) : undefined;
  };
  const set = <K extends keyof UserFormValues>(name: K, value: UserFormValues[K]) =>
    onChange({ ...values, [name]: value });
  const toggleRole = (role: Role, ticked: boolean) =>
    set('roles', ROLES.filter((r) => (r === role ? ticked : values.roles.includes(r))));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = checkUserForm(values, mode);
    const first = (['fullName', 'email', 'roles', 'password'] as const).find((name) => found[name]);
    if (first) {
      setChecked(found);
      // On the first wrong field, whose error it describes, after the summary alert.
      document.getElementById(USER_FIELD_IDS[first] ?? '')?.focus();
      return;
    }
    setChecked(null);
    onSubmit();
  }

  const rolesError = fieldError('roles');
  const localeError = fieldError('locale');

  return (
    <form onSubmit={submit} noValidate className="flex max-w-xl flex-col gap-4" aria-busy={submitting}>
      {checked && <Alert>{t('errors.validation')}</Alert>}
      {!checked && error && error.status !== 412 && (
        <Alert>{hasFieldErrors ? t('errors.validation') : errorMessage(error, t)}</Alert>
      )}
      <Field
        id="user-fullName"
        label={t('users.fullName')}
        name="fullName"
        required
        maxLength={100}
        autoComplete="off"
        value={values.fullName}
        error={fieldError('fullName')}
        onChange={(event) => set('fullName', event.target.value)}
      />
      <Field
        id="user-email"
        label={t('users.email')}
        name="email"
        type="email"
        required
        maxLength={254}
        autoComplete="off"
        value={values.email}
        error={fieldError('email')}
        onChange={(event) => set('email', event.target.value)}
      />
      <fieldset aria-describedby={rolesError ? 'user-roles-error' : undefined}>
        <legend className="mb-1 text-sm font-medium text-slate-800">{t('users.roles')}</legend>
        <div className="flex flex-col gap-2 sm:flex-row sm:gap-6">
          {ROLES.map((role, index) => (
            <label key={role} className="flex items-center gap-2 text-base">
              <input
                id={index === 0 ? 'user-roles' : undefined}
                type="checkbox"
                name="roles"
                value={role}
                className={checkbox}
                checked={values.roles.includes(role)}
                aria-describedby={rolesError ? 'user-roles-error' : undefined}
                onChange={(event) => toggleRole(role, event.target.checked)}
              />
              {t(ROLE_LABELS[role])}
            </label>
          ))}
        </div>
        {rolesError && (
          <p id="user-roles-error" className="mt-1 text-sm font-medium text-red-700">
            {rolesError}
          </p>
        )}
      </fieldset>
      <div className="flex flex-col gap-4 sm:flex-row">
        <Field
          id="user-color"
          label={t('users.color')}
          name="color"
          type="color"
          className="sm:w-40"
          inputClassName={colorInputClass}
          value={values.color}
          error={fieldError('color')}
          onChange={(event) => set('color', event.target.value)}
        />
        <div className="sm:flex-1">
          <label htmlFor="user-locale" className="mb-1 block text-sm font-medium text-slate-800">
            {t('users.locale')}
          </label>
          <select
            id="user-locale"
            name="locale"
            className={inputClass}
            value={values.locale}
            aria-invalid={localeError ? true : undefined}
            aria-describedby={localeError ? 'user-locale-error' : undefined}
            onChange={(event) => isLocale(event.target.value) && set('locale', event.target.value)}
          >
            <option value="es">{t('language.es')}</option>
            <option value="en">{t('language.en')}</option>
          </select>
          {localeError && (
            <p id="user-locale-error" className="mt-1 text-sm font-medium text-red-700">
              {localeError}
            </p>
          )}
        </div>
      </div>
      {mode === 'edit' && (
        <div>
          <label className="flex items-center gap-2 text-base">
            <input
              type="checkbox"
              name="active"
              className={checkbox}
              checked={values.active}
              aria-describedby={fieldError('active') ? 'user-active-error' : undefined}
              onChange={(event) => set('active', event.target.checked)}
            />
            {t('users.active')}
          </label>
          {fieldError('active') && (
            <p id="user-active-error" className="mt-1 text-sm font-medium text-red-700">
              {fieldError('active')}
            </p>
          )}
        </div>
      )}
      <Field
        id="user-password"
        label={mode === 'create' ? t('users.initialPassword') : t('users.newPassword')}
        name="password"
        type="password"
        autoComplete="new-password"
        required={mode === 'create'}
        minLength={8}
        maxLength={128}
        value={values.password}
        hint={mode === 'create' ? t('users.passwordHint') : t('users.newPasswordHint')}
        error={fieldError('password')}
        onChange={(event) => set('password', event.target.value)}
      />
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={primaryButton} disabled={submitting}>
          {submitting ? t('common.saving') : t('common.save')}
        </button>
        {children}
      </div>
    </form>
  );
}
