import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type Appointment, listAppointmentsBetween } from '../../api/appointments';
import { appointmentKeys } from '../../api/queryKeys';
import { useSession } from '../../auth/SessionContext';
import { hasRole, isPractitionerOnly } from '../../auth/types';
import { Alert } from '../../components/Alert';
import { focusRing, secondaryButton } from '../../components/styles';
import { formatTimeRange } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import { dayBounds, isoWithOffset, localIsoDate } from '../../lib/dates';
import { AppointmentStatusBadge } from './AppointmentStatusBadge';
import { TodayCards } from './TodayCards';
import { Who } from './Who';
import { type RowNotice, TodayRowActions } from './TodayRowActions';
import { useAppointmentTypeName } from './useAppointmentTypeName';

const cell = 'px-3 py-2 text-left align-top';
const narrowHidden = 'hidden sm:table-cell';

/** Today's bookings by start time (then physiotherapist); cancelled ones are of no use here. */
export function todaysAgenda(appointments: readonly Appointment[]): Appointment[] {
  return appointments
    .filter((appointment) => appointment.status !== 'cancelled')
    .toSorted(
      (a, b) =>
        Date.parse(a.startsAt) - Date.parse(b.startsAt) ||
        (a.practitionerName ?? '').localeCompare(b.practitionerName ?? ''),
    );
}

/** Under this width (a phone) the table becomes one card per appointment. */
const PHONE_WIDTH = 640;

/** Whether the window is phone-narrow, following rotations and resizes. */
function usePhoneWidth(): boolean {
  const [narrow, setNarrow] = useState(() => window.innerWidth < PHONE_WIDTH);
  useEffect(() => {
    const follow = () => setNarrow(window.innerWidth < PHONE_WIDTH);
    window.addEventListener('resize', follow);
    return () => window.removeEventListener('resize', follow);
  }, []);
  return narrow;
}

/** The time now, moved on every half minute: a list left open offers "No acudió" once due. */
function useMinuteClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

/**
 * The dashboard's "today" list, asked of scheduling on its own: when scheduling is down the
 * list says so and the rest of the dashboard carries on. Each row carries the actions the day
 * needs (arrived, completed, no-show) when scheduling would accept them; on a phone the row is
 * the time, the patient and those buttons.
 */
export function TodayAppointments() {
  const { t, locale } = useI18n();
  const { user } = useSession();
  const typeName = useAppointmentTypeName();
  const [mineOnly, setMineOnly] = useState(() => isPractitionerOnly(user));
  // Re-read on every render: a dashboard left open overnight moves on to the new day.
  const today = localIsoDate();
  const practitionerId = mineOnly && user ? user.id : undefined;
  const appointments = useQuery({
    queryKey: appointmentKeys.day(today, practitionerId),
    queryFn: () => {
      const { start, end } = dayBounds(new Date(`${today}T00:00:00`));
      return listAppointmentsBetween(isoWithOffset(start), isoWithOffset(end), practitionerId);
    },
  });
  const agenda = appointments.data ? todaysAgenda(appointments.data) : [];
  const [notice, setNotice] = useState<RowNotice | null>(null);
  const now = useMinuteClock();
  const phone = usePhoneWidth();
  // Whose they are goes without saying when they are all mine.
  const practitionerCell = mineOnly ? 'hidden' : narrowHidden;

  return (
    <section aria-labelledby="today-title" className="mt-6">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <h2 id="today-title" className="text-xl font-semibold">
          {t('dashboard.todayTitle')}
        </h2>
        {hasRole(user, 'ROLE_PRACTITIONER') && (
          <label className="flex items-center gap-2 text-base">
            <input
              type="checkbox"
              className={`h-5 w-5 rounded border-slate-400 ${focusRing}`}
              checked={mineOnly}
              onChange={(event) => setMineOnly(event.target.checked)}
            />
            {t('dashboard.todayMineOnly')}
          </label>
        )}
      </div>
      {/* Present from the start, so what an action did is announced when it appears. */}
      <div aria-live="polite" className={notice ? 'mb-3' : 'sr-only'} data-testid="today-notice">
        {notice && (
          <p className={notice.tone === 'error' ? 'font-medium text-red-800' : 'text-emerald-900'}>{notice.text}</p>
        )}
      </div>
      {appointments.isPending && <p role="status">{t('common.loading')}</p>}
      {appointments.isError && (
        <div className="flex flex-col items-start gap-3">
          <Alert tone="warning">{t('dashboard.todayUnavailable')}</Alert>
          <button
            type="button"
            className={secondaryButton}
            onClick={() => void appointments.refetch()}
          >
            {t('common.retry')}
          </button>
        </div>
      )}
      {appointments.isSuccess && agenda.length === 0 && (
        <p className="rounded-lg bg-white p-4 text-slate-700 ring-1 ring-slate-200">
          {t(mineOnly ? 'dashboard.todayEmptyMine' : 'dashboard.todayEmpty')}
        </p>
      )}
      {agenda.length > 0 && phone && (
        <TodayCards agenda={agenda} now={now} showPractitioner={!mineOnly} typeName={typeName} onDone={setNotice} />
      )}
      {agenda.length > 0 && !phone && (
        <div
          className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200"
          aria-busy={appointments.isFetching}
        >
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-100 text-slate-700">
              <tr>
                <th scope="col" className={cell}>{t('appointments.time')}</th>
                <th scope="col" className={cell}>{t('appointments.patient')}</th>
                <th scope="col" className={`${cell} ${practitionerCell}`}>{t('appointments.practitioner')}</th>
                <th scope="col" className={`${cell} ${narrowHidden}`}>{t('appointments.type')}</th>
                <th scope="col" className={cell}>{t('appointments.status')}</th>
                <th scope="col" className={cell}>{t('dashboard.todayActions')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {agenda.map((appointment) => (
                <tr key={appointment.id} data-testid="today-appointment">
                  <td className={`${cell} whitespace-nowrap`}>
                    {formatTimeRange(appointment.startsAt, appointment.endsAt, locale)}
                  </td>
                  <td className={cell}>
                    <Who appointment={appointment} />
                  </td>
                  <td className={`${cell} ${practitionerCell}`}>{appointment.practitionerName}</td>
                  <td className={`${cell} ${narrowHidden}`}>{typeName(appointment.type)}</td>
                  <td className={cell}>
                    {appointment.kind === 'appointment' && (
                      <AppointmentStatusBadge status={appointment.status} />
                    )}
                  </td>
                  <td className={cell}>
                    <TodayRowActions appointment={appointment} now={now} onDone={setNotice} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
