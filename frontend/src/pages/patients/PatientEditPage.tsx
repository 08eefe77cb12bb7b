import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { Versioned } from '../../api/http';
import { existingPatientId, getPatient, type Patient, updatePatient } from '../../api/patients';
import { errorMessage, toApiError } from '../../api/problem';
import { patientKeys } from '../../api/queryKeys';
import { Alert } from '../../components/Alert';
import { linkClass, secondaryButton } from '../../components/styles';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useI18n } from '../../i18n/useI18n';
import { PatientForm } from './PatientForm';
import { patientFormFrom, toPatientUpdate } from './patientFields';

const route = getRouteApi('/app/patients/$patientId/edit');

/** `/patients/$patientId/edit`: change a patient's data (If-Match: a stale edit is refused). */
export function PatientEditPage() {
  const { t } = useI18n();
  useDocumentTitle(t('patients.edit'));
  const { patientId } = route.useParams();
  const [loads, setLoads] = useState(0);
  const patient = useQuery({
    queryKey: patientKeys.detail(patientId),
    queryFn: () => getPatient(patientId),
  });

  async function reload() {
    await patient.refetch();
    setLoads((n) => n + 1); // a fresh editor, filled with what the server has now
  }

  return (
    <section aria-labelledby="patient-edit-title">
      <p className="mb-2">
        <Link to="/patients/$patientId" params={{ patientId }} className={linkClass}>
          {t('patients.backToPatient')}
        </Link>
      </p>
      <h1 id="patient-edit-title" className="mb-4 text-2xl font-semibold">
        {t('patients.edit')}
        {patient.data && <span className="block text-lg font-normal">{patient.data.data.fullName}</span>}
      </h1>
      {patient.isPending && <p role="status">{t('common.loading')}</p>}
      {patient.isError && <Alert>{errorMessage(patient.error, t)}</Alert>}
      {patient.data && (
        <PatientEditor key={loads} loaded={patient.data} onReload={() => void reload()} />
      )}
    </section>
  );
}

interface PatientEditorProps {
  loaded: Versioned<Patient>;
  onReload: () => void;
}

function PatientEditor({ loaded, onReload }: PatientEditorProps) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [values, setValues] = useState(() => patientFormFrom(loaded.data));
  // The version this editor started from: a refetch meanwhile must not silently become the base.
  const [{ data: stored, etag }] = useState(loaded);
  const save = useMutation({
    mutationFn: () => updatePatient(stored.id, toPatientUpdate(values, stored.status), etag),
    onSuccess: async (saved) => {
      queryClient.setQueryData(patientKeys.detail(stored.id), saved);
      await queryClient.invalidateQueries({ queryKey: patientKeys.lists() });
      await navigate({
        to: '/patients/$patientId',
        params: { patientId: stored.id },
        state: { patientNotice: 'patientSaved' },
      });
    },
  });
  const error = save.error ? toApiError(save.error) : null;

  return (
    <div className="flex flex-col gap-4">
      {error?.status === 412 && (
        <Alert tone="warning">
          <p className="mb-2">{t('errors.staleEdit')}</p>
          <button type="button" className={secondaryButton} onClick={onReload}>
            {t('common.reload')}
          </button>
        </Alert>
      )}
      <PatientForm
        values={values}
        onChange={setValues}
        onSubmit={() => save.mutate()}
        submitting={save.isPending}
        error={error}
        existingPatientId={existingPatientId(save.error)}
        patientId={stored.id}
      >
        <Link to="/patients/$patientId" params={{ patientId: stored.id }} className={secondaryButton}>
          {t('common.cancel')}
        </Link>
      </PatientForm>
    </div>
  );
}
