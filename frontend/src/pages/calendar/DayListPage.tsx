import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { listAppointmentsBetween, listPractitioners } from '../../api/appointments';
import { errorMessage } from '../../api/problem';
import { appointmentKeys, practitionerKeys } from '../../api/queryKeys';
import { useSession } from '../../auth/SessionContext';
import { isPractitionerOnly } from '../../auth/types';
import { Alert } from '../../components/Alert';
import { linkClass, primaryButton, secondaryButton } from '../../components/styles';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import type { Locale } from '../../i18n/catalogs';
import { useI18n } from '../../i18n/useI18n';
import { dayBounds, isoWithOffset, isRealDate, localIsoDate } from '../../lib/dates';
import { useAppointmentTypeName } from '../appointments/useAppointmentTypeName';
import { DayList } from './DayList';
import './dayList.css';
import { PractitionerSelect } from './PractitionerSelect';
import { DateField } from '../../components/DateField';

const route = getRouteApi('/app/calendar/day-list');

/** The heading's date with its weekday ("jueves, 3 de diciembre de 2026"), the same day everywhere. */
export function formatListDate(isoDate: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'es' ? 'es-ES' : 'en-GB', { dateStyle: 'full', timeZone: 'UTC' }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );
}

/**
 * `/calendar/day-list?date=&practitionerId=`: one physiotherapist's appointments of one day, to
 * print (its print stylesheet, dayList.css, leaves only the heading and the table on paper). Without a date it is
 * today; without a physiotherapist a physiotherapist sees their own day and the front desk chooses.
 */
export function DayListPage() {
  const { t, locale } = useI18n();
  const { user } = useSession();
  useDocumentTitle(t('calendar.dayList.title'));
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const typeName = useAppointmentTypeName();
  const date = search.date ?? localIsoDate();
  const practitionerId = search.practitionerId ?? (user && isPractitionerOnly(user) ? user.id : undefined);

  const practitioners = useQuery({ queryKey: practitionerKeys.all, queryFn: listPractitioners });
  const appointments = useQuery({
    queryKey: appointmentKeys.day(date, practitionerId),
    queryFn: () => {
      const { start, end } = dayBounds(new Date(`${date}T00:00:00`));
      return listAppointmentsBetween(isoWithOffset(start), isoWithOffset(end), practitionerId);
    },
    enabled: !!practitionerId,
  });

  const name =
    practitioners.data?.find((p) => p.id === practitionerId)?.fullName ??
    appointments.data?.find((a) => a.practitionerName)?.practitionerName ??
    null;
  const heading =
    practitionerId && name
      ? t('calendar.dayList.heading', { name, date: formatListDate(date, locale) })
      : t('calendar.dayList.title');

  const choose = (next: { date?: string; practitionerId?: string }) =>
    void navigate({ search: (previous) => ({ ...previous, ...next }), replace: true, resetScroll: false });

  return (
    <section aria-labelledby="day-list-title" className="day-list flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 id="day-list-title" className="text-2xl font-semibold">
          {heading}
        </h1>
        <div className="day-list-controls flex flex-wrap gap-2 print:hidden">
          <Link to="/calendar" search={{ date, practitionerId }} className={secondaryButton}>
            {t('calendar.dayList.back')}
          </Link>
          <button
            type="button"
            className={primaryButton}
            disabled={!practitionerId}
            onClick={() => window.print()}
          >
            {t('calendar.dayList.print')}
          </button>
        </div>
      </div>
      <div className="day-list-controls flex flex-col gap-3 sm:flex-row sm:items-end print:hidden">
        <PractitionerSelect
          id="day-list-practitioner"
          className="sm:w-72"
          practitioners={practitioners.data ?? []}
          withPlaceholder
          value={practitionerId ?? ''}
          onChange={(event) => choose({ practitionerId: event.target.value || undefined })}
        />
        <DateField
          id="day-list-date"
          className="sm:w-48"
          label={t('calendar.dayList.date')}
          value={date}
          onChange={(value) => {
            if (isRealDate(value)) choose({ date: value });
          }}
        />
      </div>
      {practitioners.isError && <Alert>{errorMessage(practitioners.error, t)}</Alert>}
      {!practitionerId && (
        <p className="rounded-lg bg-white p-4 ring-1 ring-slate-200">{t('calendar.dayList.choose')}</p>
      )}
      {appointments.isPending && practitionerId && <p role="status">{t('common.loading')}</p>}
      {appointments.isError && (
        <Alert>
          {t('calendar.dayList.unavailable')}{' '}
          <button type="button" className={`${linkClass} print:hidden`} onClick={() => void appointments.refetch()}>
            {t('common.retry')}
          </button>
        </Alert>
      )}
      {appointments.data && practitionerId && (
        <DayList
          appointments={appointments.data}
          practitionerName={name ?? ''}
          typeName={typeName}
          labelledBy="day-list-title"
        />
      )}
    </section>
  );
}
