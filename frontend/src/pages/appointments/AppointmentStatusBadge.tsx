import type { AppointmentStatus } from '../../api/appointments';
import type { TranslationKey } from '../../i18n/catalogs';
import { useI18n } from '../../i18n/useI18n';

export const APPOINTMENT_STATUS_LABELS: Record<AppointmentStatus, TranslationKey> = {
  scheduled: 'appointments.status.scheduled',
  completed: 'appointments.status.completed',
  cancelled: 'appointments.status.cancelled',
  no_show: 'appointments.status.no_show',
};

const TONES: Record<AppointmentStatus, string> = {
  scheduled: 'bg-sky-100 text-sky-900 ring-sky-300',
  completed: 'bg-emerald-100 text-emerald-900 ring-emerald-300',
  cancelled: 'bg-slate-200 text-slate-700 ring-slate-300',
  no_show: 'bg-amber-100 text-amber-950 ring-amber-300',
};

/** "Programada", "Realizada", "Cancelada", "No acudió" as a small pill (the text carries it). */
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
