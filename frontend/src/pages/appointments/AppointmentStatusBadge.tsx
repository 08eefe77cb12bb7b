import type { AppointmentStatus, CancellationReason } from '../../api/appointments';
import type { TranslationKey } from '../../i18n/catalogs';
import { useI18n } from '../../i18n/useI18n';

export const APPOINTMENT_STATUS_LABELS: Record<AppointmentStatus, TranslationKey> = {
  scheduled: 'appointments.status.scheduled',
  arrived: 'appointments.status.arrived',
  completed: 'appointments.status.completed',
  cancelled: 'appointments.status.cancelled',
  no_show: 'appointments.status.no_show',
};

export const CANCELLATION_REASON_LABELS: Record<CancellationReason, TranslationKey> = {
  patient: 'appointments.cancellationReason.patient',
  clinic: 'appointments.cancellationReason.clinic',
  late: 'appointments.cancellationReason.late',
};

const TONES: Record<AppointmentStatus, string> = {
  scheduled: 'bg-sky-100 text-sky-900 ring-sky-300',
  arrived: 'bg-violet-100 text-violet-900 ring-violet-300',
  completed: 'bg-emerald-100 text-emerald-900 ring-emerald-300',
  cancelled: 'bg-slate-200 text-slate-700 ring-slate-300',
  no_show: 'bg-amber-100 text-amber-950 ring-amber-300',
};

/** "Programada", "Ha llegado", "Realizada", "Cancelada", "No acudió" as a pill (the text carries it). */
export function AppointmentStatusBadge({ status }: { status: AppointmentStatus }) {
  const { t } = useI18n();
  return (
    <span
      className={`inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${TONES[status]}`}
    >
      {t(APPOINTMENT_STATUS_LABELS[status])}
    </span>
  );
}
