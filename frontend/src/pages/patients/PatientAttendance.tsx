import { useQuery } from '@tanstack/react-query';
import { fetchAttendance } from '../../api/appointments';
import { appointmentKeys } from '../../api/queryKeys';
import { useI18n } from '../../i18n/useI18n';

/**
 * "2 no-shows, 1 late cancellation" under the patient's name: what counts on the patient, as
 * scheduling keeps it. Said in a quiet line when both are zero, on amber when either is not.
 */
export function PatientAttendance({ patientId }: { patientId: string }) {
  const { t } = useI18n();
  const attendance = useQuery({
    queryKey: appointmentKeys.attendance(patientId),
    queryFn: () => fetchAttendance(patientId),
  });
  if (attendance.isPending) return null;
  if (attendance.isError) {
    return <p className="text-sm text-slate-600">{t('patients.attendance.unavailable')}</p>;
  }
  const { noShows, lateCancellations } = attendance.data;
  // The catalog writes each in its plural forms (`_one`, `_other`): t() picks the form for the count.
  const noShowText = t('patients.attendance.noShows', { count: noShows });
  const lateText = t('patients.attendance.late', { count: lateCancellations });
  const tone =
    noShows + lateCancellations > 0 ? 'bg-amber-50 text-amber-950 ring-amber-300' : 'bg-white text-slate-700 ring-slate-200';
  return (
    <p className={`rounded-md px-3 py-2 text-sm ring-1 ${tone}`} data-testid="patient-attendance">
      <span className="font-medium">{t('patients.attendance.title')}:</span> {noShowText}, {lateText}
    </p>
  );
}
