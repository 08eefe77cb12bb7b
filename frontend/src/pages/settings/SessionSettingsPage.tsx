import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Versioned } from '../../api/http';
import { errorMessage, toApiError } from '../../api/problem';
import {
  getSessionSettings,
  type SessionSettings,
  sessionSettingsKey,
  updateSessionSettings,
} from '../../api/sessionSettings';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { primaryButton, secondaryButton } from '../../components/styles';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useI18n } from '../../i18n/useI18n';

export const MIN_HOURS = 1;
export const MAX_HOURS = 24;

/** `/settings/sessions` (admins): how long a session may last at most, whatever the activity. */
export function SessionSettingsPage() {
  const { t } = useI18n();
  useDocumentTitle(t('sessionSettings.title'));
  const [loads, setLoads] = useState(0);
  const settings = useQuery({ queryKey: sessionSettingsKey, queryFn: getSessionSettings });

  async function reload() {
    await settings.refetch();
    setLoads((n) => n + 1);
  }

  return (
    <section aria-labelledby="session-settings-title" className="max-w-2xl">
      <h1 id="session-settings-title" className="mb-4 text-2xl font-semibold">
        {t('sessionSettings.title')}
      </h1>
      {settings.isPending && <p role="status">{t('common.loading')}</p>}
      {settings.isError && <Alert>{errorMessage(settings.error, t)}</Alert>}
      {settings.data && (
        <SessionSettingsForm key={loads} loaded={settings.data} onReload={() => void reload()} />
      )}
    </section>
  );
}

function SessionSettingsForm({ loaded, onReload }: { loaded: Versioned<SessionSettings>; onReload: () => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [etag, setEtag] = useState(loaded.etag);
  const [hours, setHours] = useState(String(loaded.data.maxSessionHours));
  const [invalid, setInvalid] = useState(false);
  const [saved, setSaved] = useState<number | null>(null);
  const save = useMutation({
    mutationFn: (value: number) => updateSessionSettings(value, etag),
    onSuccess: (result) => {
      queryClient.setQueryData(sessionSettingsKey, result);
      setEtag(result.etag);
      setSaved(result.data.maxSessionHours);
    },
  });
  const error = save.error ? toApiError(save.error) : null;
  const serverSaysInvalid = error?.fieldErrors.some((item) => item.field === 'maxSessionHours') ?? false;
  const fieldError = invalid || serverSaysInvalid ? t('sessionSettings.hoursRange', { min: MIN_HOURS, max: MAX_HOURS }) : undefined;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = Number(hours);
    const ok = /^\d+$/.test(hours.trim()) && value >= MIN_HOURS && value <= MAX_HOURS;
    setInvalid(!ok);
    setSaved(null);
    if (!ok) {
      document.getElementById('session-max-hours')?.focus();
      return;
    }
    save.mutate(value);
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4" aria-busy={save.isPending}>
      <p className="text-slate-800">{t('sessionSettings.intro', { idle: loaded.data.idleMinutes })}</p>
      {saved !== null && <Alert tone="success">{t('sessionSettings.saved', { hours: saved })}</Alert>}
      {error?.status === 412 && (
        <Alert tone="warning">
          <p className="mb-2">{t('errors.staleEdit')}</p>
          <button type="button" className={secondaryButton} onClick={onReload}>
            {t('common.reload')}
          </button>
        </Alert>
      )}
      {error && error.status !== 412 && !serverSaysInvalid && <Alert>{errorMessage(error, t)}</Alert>}
      <Field
        id="session-max-hours"
        label={t('sessionSettings.maxHours')}
        hint={t('sessionSettings.maxHoursHint', { min: MIN_HOURS, max: MAX_HOURS })}
        error={fieldError}
        type="number"
        inputMode="numeric"
        min={MIN_HOURS}
        max={MAX_HOURS}
        step={1}
        required
        className="max-w-xs"
        value={hours}
        onChange={(event) => {
          setHours(event.target.value);
          setInvalid(false);
          setSaved(null);
        }}
      />
      <div>
        <button type="submit" className={primaryButton} disabled={save.isPending}>
          {save.isPending ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}
