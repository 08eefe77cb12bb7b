import type { Appointment } from '../../api/appointments';
import { formatTimeRange } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import { APPOINTMENT_STATUS_LABELS, CANCELLATION_REASON_LABELS } from '../appointments/AppointmentStatusBadge';

/** One physiotherapist's day in time order (a block or slot at the same time after the booking). */
export function dayListRows(appointments: readonly Appointment[]): Appointment[] {
  const kindOrder = { appointment: 0, block: 1, empty_slot: 2 } as const;
  return appointments.toSorted(
    (a, b) =>
      Date.parse(a.startsAt) - Date.parse(b.startsAt) ||
      kindOrder[a.kind] - kindOrder[b.kind] ||
      Date.parse(a.endsAt) - Date.parse(b.endsAt),
  );
}

interface DayListProps {
  appointments: readonly Appointment[];
  /** The physiotherapist whose day it is, for the empty day's sentence. */
  practitionerName: string;
  /** The appointment type's name in the current language. */
  typeName: (code: string | null) => string;
  /** The id of the heading naming the day, which labels the table. */
  labelledBy: string;
}

/**
 * The printable table of a day: time, patient, type and status in words (a cancelled or
 * missed appointment stays on the list, said in text, not only in a colour).
 */
export function DayList({ appointments, practitionerName, typeName, labelledBy }: DayListProps) {
  const { t, locale } = useI18n();
  const rows = dayListRows(appointments);
  if (rows.length === 0) {
    return <p className="day-list-empty rounded-lg bg-white p-4 ring-1 ring-slate-200">{t('calendar.dayList.empty', { name: practitionerName })}</p>;
  }
  // On a phone each appointment is a card (index.css, `card-table`): nothing scrolls sideways.
  const cell = 'px-3 py-2 text-left align-top';
  return (
    <div className="day-list-table card-table-box">
      <table aria-labelledby={labelledBy} className="card-table min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-100 text-slate-800">
          <tr>
            <th scope="col" className={cell}>{t('appointments.time')}</th>
            <th scope="col" className={cell}>{t('appointments.patient')}</th>
            <th scope="col" className={cell}>{t('appointments.type')}</th>
            <th scope="col" className={cell}>{t('appointments.status')}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((appointment) => {
            const struck = appointment.status === 'cancelled' ? 'line-through' : '';
            return (
              <tr key={appointment.id} data-testid="day-list-row" className={`day-list-status-${appointment.status}`}>
                <td className={`${cell} card-title whitespace-nowrap`}>
                  {formatTimeRange(appointment.startsAt, appointment.endsAt, locale)}
                </td>
                <td className={cell} data-label={t('appointments.patient')}>
                  {appointment.kind === 'empty_slot' ? (
                    <span className="italic">{t('appointments.emptySlot')}</span>
                  ) : appointment.kind === 'block' || !appointment.patientId ? (
                    appointment.title || t('appointments.block')
                  ) : (
                    <span className={`font-medium ${struck}`}>{appointment.patientName ?? appointment.patientId}</span>
                  )}
                </td>
                <td className={cell} data-label={t('appointments.type')}>
                  {appointment.kind === 'appointment' ? typeName(appointment.type) : ''}
                </td>
                <td
                  className={`${cell} ${appointment.status === 'scheduled' ? '' : 'font-semibold'}`}
                  data-label={t('appointments.status')}
                >
                  {appointment.kind === 'appointment' ? t(APPOINTMENT_STATUS_LABELS[appointment.status]) : ''}
                  {appointment.cancellationReason &&
                    ` (${t(CANCELLATION_REASON_LABELS[appointment.cancellationReason]).toLocaleLowerCase(locale)})`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
