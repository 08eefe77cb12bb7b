import type { Appointment } from '../../api/appointments';
import { formatTimeRange } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import { AppointmentStatusBadge } from './AppointmentStatusBadge';
import { Who } from './Who';
import { type RowNotice, TodayRowActions } from './TodayRowActions';

interface TodayCardsProps {
  agenda: readonly Appointment[];
  now: Date;
  showPractitioner: boolean;
  typeName: (code: string | null) => string | null;
  onDone: (notice: RowNotice) => void;
}

/**
 * Today's list on a phone: a card per appointment (time and status on top, then the patient,
 * the type, and the actions in a row a thumb can reach), instead of a table wider than the screen.
 */
export function TodayCards({ agenda, now, showPractitioner, typeName, onDone }: TodayCardsProps) {
  const { locale } = useI18n();
  return (
    <ul className="flex flex-col gap-3">
      {agenda.map((appointment) => (
        <li
          key={appointment.id}
          data-testid="today-appointment"
          className="rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200"
        >
          <div className="flex items-center justify-between gap-2">
            <span className="font-semibold">{formatTimeRange(appointment.startsAt, appointment.endsAt, locale)}</span>
            {appointment.kind === 'appointment' && <AppointmentStatusBadge status={appointment.status} />}
          </div>
          <p className="mt-1">
            <Who appointment={appointment} />
          </p>
          <p className="text-sm text-slate-700">
            {[typeName(appointment.type), showPractitioner ? appointment.practitionerName : null]
              .filter(Boolean)
              .join(' · ')}
          </p>
          <div className="mt-2">
            <TodayRowActions appointment={appointment} now={now} onDone={onDone} layout="row" />
          </div>
        </li>
      ))}
    </ul>
  );
}
