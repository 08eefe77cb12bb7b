import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { type Appointment, listPatientAppointments } from '../../api/appointments';
import type { Patient } from '../../api/patients';
import { errorMessage } from '../../api/problem';
import { appointmentKeys } from '../../api/queryKeys';
import { Alert } from '../../components/Alert';
import { linkClass, secondaryButton } from '../../components/styles';
import type { TranslationKey } from '../../i18n/catalogs';
import { formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import { AppointmentStatusBadge } from '../appointments/AppointmentStatusBadge';
import { calendarDay } from '../calendar/calendarSearch';
import { useAppointmentTypeName } from '../appointments/useAppointmentTypeName';

/** How many appointments each list shows at first, and adds per "more". */
export const PATIENT_APPOINTMENTS_PER_PAGE = 5;

const cell = 'px-3 py-2 text-left align-top';
const narrowHidden = 'hidden sm:table-cell';

interface ListProps {
  patientId: string;
  when: 'upcoming' | 'past';
  /** The moment both lists are split at, fixed while the page is open (pages stay consistent). */
  now: Date;
  title: TranslationKey;
  empty: TranslationKey;
}

/** One list (upcoming or past) of a patient's appointments, a page at a time. */
function AppointmentList({ patientId, when, now, title, empty }: ListProps) {
  const { t, locale } = useI18n();
  const typeName = useAppointmentTypeName();
  const appointments = useInfiniteQuery({
    queryKey: appointmentKeys.patient(patientId, when, now.toISOString()),
    queryFn: ({ pageParam }) =>
      listPatientAppointments(
        { patientId, when, now, itemsPerPage: PATIENT_APPOINTMENTS_PER_PAGE },
        pageParam,
      ),
    initialPageParam: 1,
    getNextPageParam: (last, _pages, lastPage) => (last.view?.next ? lastPage + 1 : undefined),
  });
  // A booking made between two pages shifts the rest by one: never show a row twice.
  const rows = [
    ...new Map(
      (appointments.data?.pages ?? []).flatMap((page) => page.member).map((a) => [a.id, a]),
    ).values(),
  ];
  const id = `patient-appointments-${when}`;

  return (
    <section aria-labelledby={id} className="mt-4 first-of-type:mt-0">
      <h3 id={id} className="mb-2 text-base font-semibold text-slate-800">
        {t(title)}
      </h3>
      {appointments.isPending && <p role="status">{t('common.loading')}</p>}
      {appointments.isError && (
        <div className="flex flex-col items-start gap-3">
          <Alert>{errorMessage(appointments.error, t)}</Alert>
          <button
            type="button"
            className={secondaryButton}
            onClick={() => void appointments.refetch()}
          >
            {t('common.retry')}
          </button>
        </div>
      )}
      {appointments.isSuccess && rows.length === 0 && <p className="text-slate-600">{t(empty)}</p>}
      {rows.length > 0 && (
        <div className="overflow-x-auto" aria-busy={appointments.isFetching}>
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-100 text-slate-700">
              <tr>
                <th scope="col" className={cell}>{t('appointments.when')}</th>
                <th scope="col" className={cell}>{t('appointments.type')}</th>
                <th scope="col" className={`${cell} ${narrowHidden}`}>
                  {t('appointments.practitioner')}
                </th>
                <th scope="col" className={cell}>{t('appointments.status')}</th>
                <th scope="col" className={cell}>
                  <span className="sr-only">{t('appointments.openInCalendar')}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((appointment) => (
                <AppointmentRow
                  key={appointment.id}
                  appointment={appointment}
                  when={formatDateTime(appointment.startsAt, locale)}
                  typeName={typeName(appointment.type)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {appointments.hasNextPage && (
        <button
          type="button"
          className={`${secondaryButton} mt-3`}
          disabled={appointments.isFetchingNextPage}
          onClick={() => void appointments.fetchNextPage()}
        >
          {appointments.isFetchingNextPage ? t('common.loading') : t('patientAppointments.more')}
        </button>
      )}
    </section>
  );
}

interface RowProps {
  appointment: Appointment;
  when: string;
  typeName: string;
}

/** One appointment; a cancelled one stays listed, greyed, so reception can tell the patient. */
function AppointmentRow({ appointment, when, typeName }: RowProps) {
  const { t } = useI18n();
  const cancelled = appointment.status === 'cancelled';
  return (
    <tr className={cancelled ? 'text-slate-500' : ''} data-testid="patient-appointment">
      <td className={`${cell} whitespace-nowrap`}>
        <span className={cancelled ? 'line-through' : ''}>{when}</span>
      </td>
      <td className={cell}>{typeName}</td>
      <td className={`${cell} ${narrowHidden}`}>{appointment.practitionerName}</td>
      <td className={cell}>
        <AppointmentStatusBadge status={appointment.status} />
      </td>
      <td className={cell}>
        <Link
          to="/calendar"
          search={calendarDay(appointment.startsAt)}
          className={`${linkClass} whitespace-nowrap`}
          aria-label={`${t('appointments.openInCalendar')} ${when}`}
        >
          {t('appointments.openInCalendar')}
        </Link>
      </td>
    </tr>
  );
}

/**
 * The patient's appointments: upcoming (soonest first) and past (latest first). Cancelled ones
 * show in both, greyed with their status: reception is often asked "did I cancel Tuesday's?".
 */
export function PatientAppointments({ patient }: { patient: Patient }) {
  const { t } = useI18n();
  const [now] = useState(() => new Date());
  return (
    <section
      aria-labelledby="patient-appointments-title"
      className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
    >
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <h2 id="patient-appointments-title" className="text-lg font-semibold">
          {t('patientAppointments.title')}
        </h2>
      </div>
      <AppointmentList
        patientId={patient.id}
        when="upcoming"
        now={now}
        title="patientAppointments.upcoming"
        empty="patientAppointments.noUpcoming"
      />
      <AppointmentList
        patientId={patient.id}
        when="past"
        now={now}
        title="patientAppointments.past"
        empty="patientAppointments.noPast"
      />
    </section>
  );
}
