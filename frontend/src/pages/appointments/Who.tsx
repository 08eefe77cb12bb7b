import { Link } from '@tanstack/react-router';
import type { Appointment } from '../../api/appointments';
import { linkClass } from '../../components/styles';
import { useI18n } from '../../i18n/useI18n';

/** Who the row is for: the patient (a link), an open slot, or the block's title. */
export function Who({ appointment }: { appointment: Appointment }) {
  const { t } = useI18n();
  if (appointment.kind === 'empty_slot') {
    return <span className="italic text-emerald-800">{t('appointments.emptySlot')}</span>;
  }
  if (appointment.kind === 'block' || !appointment.patientId) {
    return <span className="text-slate-600">{appointment.title || t('appointments.block')}</span>;
  }
  return (
    <Link
      to="/patients/$patientId"
      params={{ patientId: appointment.patientId }}
      className={`${linkClass} font-medium`}
    >
      {appointment.patientName ?? appointment.patientId}
    </Link>
  );
}
