import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { getPatient } from '../../api/patients';
import { errorMessage } from '../../api/problem';
import { patientKeys, recordKeys } from '../../api/queryKeys';
import { type AuditSearch, listAudit, listStaff } from '../../api/records';
import { Alert } from '../../components/Alert';
import { SelectField } from '../../components/Field';
import { Pager } from '../../components/Pager';
import { linkClass, primaryButton, secondaryButton } from '../../components/styles';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import type { TranslationKey } from '../../i18n/catalogs';
import { formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import { dayBounds, isoWithOffset, isRealDate } from '../../lib/dates';
import { type PickedPatient, PatientPicker } from '../calendar/PatientPicker';
import { ROLE_LABELS } from '../users/userFields';
import type { AuditListSearch } from './recordsSearch';
import { DateField } from '../../components/DateField';

const route = getRouteApi('/app/records/audit');

const cell = 'px-3 py-2 text-left align-top';

// What was read or written (an answer with clinical content), by the audit's action names with
// the dot written as an underscore.
const ACTION_LABELS: Record<string, TranslationKey> = {
  record_read: 'records.audit.action.entry',
  timeline_read: 'records.audit.action.timeline',
  episode_read: 'records.audit.action.episode',
  episodes_read: 'records.audit.action.episodes',
  measure_read: 'records.audit.action.measure',
  measures_read: 'records.audit.action.measures',
  outcomes_read: 'records.audit.action.outcomes',
  pain_read: 'records.audit.action.pain',
  history_pdf: 'records.audit.action.historyPdf',
  record_created: 'records.audit.action.entryCreated',
  record_updated: 'records.audit.action.entryUpdated',
  record_signed: 'records.audit.action.entrySigned',
  record_amended: 'records.audit.action.entryAmended',
  measure_taken: 'records.audit.action.measureTaken',
  episode_opened: 'records.audit.action.episodeOpened',
  episode_updated: 'records.audit.action.episodeUpdated',
  episode_discharged: 'records.audit.action.episodeDischarged',
  record_replayed: 'records.audit.action.entryReplayed',
  episode_replayed: 'records.audit.action.episodeReplayed',
  measure_replayed: 'records.audit.action.measureReplayed',
  answer_replayed: 'records.audit.action.answerReplayed',
};

const ROLE_NAMES: Record<string, TranslationKey> = ROLE_LABELS;

/** The API's query for the URL's search: calendar days become the instants bounding them. */
export function auditQuery(search: AuditListSearch): AuditSearch {
  return {
    patientId: search.patientId,
    userId: search.userId,
    from: search.from ? isoWithOffset(dayBounds(new Date(`${search.from}T00:00:00`)).start) : undefined,
    to: search.to ? isoWithOffset(dayBounds(new Date(`${search.to}T00:00:00`)).end) : undefined,
    page: search.page ?? 1,
  };
}

/** `/records/audit` (admins): who read whose clinical content and when, newest first. */
export function AuditPage() {
  const { t, locale } = useI18n();
  useDocumentTitle(t('records.audit.title'));
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const page = search.page ?? 1;
  const query = auditQuery(search);
  const audit = useQuery({ queryKey: recordKeys.audit(query), queryFn: () => listAudit(query) });
  const staff = useQuery({ queryKey: recordKeys.staff(), queryFn: listStaff });
  const chosenPatient = useQuery({
    queryKey: patientKeys.detail(search.patientId ?? ''),
    queryFn: () => getPatient(search.patientId ?? ''),
    enabled: !!search.patientId,
  });
  const [patient, setPatient] = useState<PickedPatient | null>(null);
  const shownPatient =
    patient ??
    (chosenPatient.data ? { id: chosenPatient.data.data.id, fullName: chosenPatient.data.data.fullName } : null);
  const [userId, setUserId] = useState(search.userId ?? '');
  const [from, setFrom] = useState(search.from ?? '');
  const [to, setTo] = useState(search.to ?? '');
  const [patientCleared, setPatientCleared] = useState(false);

  const nameOf = (id: string) => staff.data?.find((member) => member.id === id)?.fullName ?? id;
  const roleOf = (roles: string) =>
    roles
      .split(/[,\s]+/)
      .filter(Boolean)
      .map((role) => {
        const key = ROLE_NAMES[role];
        return key ? t(key) : role;
      })
      .join(', ');
  const actionOf = (action: string) => {
    const key = ACTION_LABELS[action.replace('.', '_')];
    return key ? t(key) : action;
  };

  // noValidate: a day that is not one is said beside its field, and the filters stay as they were.
  const [wrong, setWrong] = useState<{ from?: string; to?: string }>({});
  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const invalid = {
      ...(from && !isRealDate(from) ? { from: t('dates.invalid') } : {}),
      ...(to && !isRealDate(to) ? { to: t('dates.invalid') } : {}),
    };
    setWrong(invalid);
    if (invalid.from || invalid.to) {
      document.getElementById(invalid.from ? 'audit-from' : 'audit-to')?.focus();
      return;
    }
    const patientId = patientCleared ? undefined : (shownPatient?.id ?? undefined);
    void navigate({
      search: {
        ...(patientId ? { patientId } : {}),
        ...(userId ? { userId } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      },
    });
  }

  const rows = audit.data?.member ?? [];
  return (
    <section aria-labelledby="audit-title" className="flex flex-col gap-4">
      <h1 id="audit-title" className="text-2xl font-semibold">
        {t('records.audit.title')}
      </h1>
      <p className="text-slate-700">{t('records.audit.intro')}</p>
      <form
        onSubmit={apply}
        noValidate
        className="grid grid-cols-1 items-end gap-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:grid-cols-2 lg:grid-cols-4"
        aria-label={t('records.audit.filters')}
      >
        <div className="sm:col-span-2 lg:col-span-4">
          <PatientPicker
            id="audit-patient"
            value={patientCleared ? null : shownPatient}
            onChange={(picked) => {
              setPatientCleared(picked === null);
              setPatient(picked);
            }}
          />
        </div>
        <SelectField
          id="audit-user"
          label={t('records.audit.user')}
          value={userId}
          onChange={(event) => setUserId(event.target.value)}
        >
          <option value="">{t('records.audit.anyUser')}</option>
          {(staff.data ?? []).map((member) => (
            <option key={member.id} value={member.id}>
              {member.fullName}
            </option>
          ))}
        </SelectField>
        <DateField id="audit-from" label={t('records.audit.from')} value={from} error={wrong.from} onChange={setFrom} />
        <DateField id="audit-to" label={t('records.audit.to')} value={to} error={wrong.to} onChange={setTo} />
        <button type="submit" className={primaryButton}>
          {t('records.audit.apply')}
        </button>
      </form>

      {audit.isPending && <p role="status">{t('common.loading')}</p>}
      {audit.isError && (
        <div className="flex flex-col items-start gap-3">
          <Alert>{errorMessage(audit.error, t)}</Alert>
          <button type="button" className={secondaryButton} onClick={() => void audit.refetch()}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {audit.isSuccess && rows.length === 0 && <p className="text-slate-600">{t('records.audit.none')}</p>}
      {rows.length > 0 && (
        <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200" aria-busy={audit.isFetching}>
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">{t('records.audit.title')}</caption>
            <thead className="bg-slate-100 text-slate-700">
              <tr>
                <th scope="col" className={cell}>{t('records.audit.when')}</th>
                <th scope="col" className={cell}>{t('records.audit.user')}</th>
                <th scope="col" className={cell}>{t('records.audit.what')}</th>
                <th scope="col" className={cell}>{t('records.audit.patient')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => (
                <tr key={row.id} data-testid="audit-row">
                  <td className={`${cell} whitespace-nowrap`}>{formatDateTime(row.readAt, locale)}</td>
                  <td className={cell}>
                    <span className="block">{nameOf(row.userId)}</span>
                    <span className="block text-slate-600">{roleOf(row.roles)}</span>
                  </td>
                  <td className={cell}>{actionOf(row.action)}</td>
                  <td className={cell}>
                    {row.patientId ? (
                      <Link to="/patients/$patientId" params={{ patientId: row.patientId }} className={linkClass}>
                        {t('records.audit.seePatient')}
                      </Link>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        page={page}
        hasNext={!!audit.data?.view?.next}
        renderLink={(target, props) => (
          <Link to="/records/audit" search={{ ...search, page: target > 1 ? target : undefined }} {...props} />
        )}
      />
    </section>
  );
}
