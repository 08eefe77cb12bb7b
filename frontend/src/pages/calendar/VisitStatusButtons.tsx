import type { Appointment, AppointmentStatus } from '../../api/appointments';
import { primaryButton, secondaryButton } from '../../components/styles';
import { useI18n } from '../../i18n/useI18n';
import { canMarkArrived, hasStarted } from '../appointments/statusActions';

interface VisitStatusButtonsProps {
  appointment: Appointment;
  now: Date;
  busy: boolean;
  onStatus: (status: AppointmentStatus) => void;
}

/**
 * How the visit went, as scheduling's transition table allows: "Ha llegado" (from an hour before),
 * then "Marcar realizada" or "Deshacer «ha llegado»"; "Marcar realizada" and "No acudió" once
 * started. A button not yet allowed is disabled with the reason as its title.
 */
export function VisitStatusButtons({ appointment, now, busy, onStatus }: VisitStatusButtonsProps) {
  const { t } = useI18n();
  if (appointment.kind !== 'appointment') return null;
  const started = hasStarted(appointment, now);
  const notStarted = started ? undefined : t('calendar.notStartedYet');
  const completed = (
    <button
      type="button"
      className={primaryButton}
      disabled={busy || !started}
      title={notStarted}
      onClick={() => onStatus('completed')}
    >
      {t('calendar.markCompleted')}
    </button>
  );
  if (appointment.status === 'arrived') {
    return (
      <>
        {completed}
        <button type="button" className={secondaryButton} disabled={busy} onClick={() => onStatus('scheduled')}>
          {t('calendar.undoArrived')}
        </button>
      </>
    );
  }
  if (appointment.status !== 'scheduled') return null;
  const arrivable = canMarkArrived(appointment, now);
  return (
    <>
      <button
        type="button"
        className={secondaryButton}
        disabled={busy || !arrivable}
        title={arrivable ? undefined : t('calendar.notArrivableYet')}
        onClick={() => onStatus('arrived')}
      >
        {t('calendar.markArrived')}
      </button>
      {completed}
      <button
        type="button"
        className={secondaryButton}
        disabled={busy || !started}
        title={notStarted}
        onClick={() => onStatus('no_show')}
      >
        {t('calendar.markNoShow')}
      </button>
    </>
  );
}
