import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { getPatient } from '../../api/patients';
import { errorMessage } from '../../api/problem';
import { patientKeys } from '../../api/queryKeys';
import { Alert } from '../../components/Alert';
import { linkClass, secondaryButton } from '../../components/styles';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useI18n } from '../../i18n/useI18n';
import { emptyEntryForm } from './entryForm';
import { EntryEditor } from './EntryEditor';

const route = getRouteApi('/app/records/new');

/**
 * `/records/new?patientId=`: a new note for a patient; from a completed session
 * (`&appointmentId=&date=`, the dashboard's list or the calendar) it is that session's note.
 */
export function EntryCreatePage() {
  const { t } = useI18n();
  useDocumentTitle(t('records.newEntry'));
  const { patientId, appointmentId, date, episodeId } = route.useSearch();
  const patient = useQuery({
    queryKey: patientKeys.detail(patientId ?? ''),
    queryFn: () => getPatient(patientId ?? ''),
    enabled: !!patientId,
  });
  const name = patient.data?.data.fullName;

  return (
    <section aria-labelledby="entry-create-title">
      {patientId && (
        <p className="mb-2">
          <Link to="/patients/$patientId" params={{ patientId }} className={linkClass}>
            {t('records.backToPatient')}
          </Link>
        </p>
      )}
      <h1 id="entry-create-title" className="mb-4 text-2xl font-semibold">
        {name ? t('records.newEntryFor', { name }) : t('records.newEntry')}
      </h1>
      {!patientId && (
        <Alert tone="info">
          <p className="mb-2">{t('records.choosePatient')}</p>
          <Link to="/patients" className={linkClass}>
            {t('nav.patients')}
          </Link>
        </Alert>
      )}
      {patientId && patient.isPending && <p role="status">{t('common.loading')}</p>}
      {patientId && patient.isError && <Alert>{errorMessage(patient.error, t)}</Alert>}
      {patientId && patient.isSuccess && (
        <EntryEditor
          initial={emptyEntryForm(patientId, { appointmentId, date, episodeId })}
          keptName={`entry-new:${patientId}:${appointmentId ?? ''}`}
          prefill
        >
          <Link to="/patients/$patientId" params={{ patientId }} className={secondaryButton}>
            {t('common.cancel')}
          </Link>
        </EntryEditor>
      )}
    </section>
  );
}
