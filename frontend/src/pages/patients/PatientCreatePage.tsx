import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { createPatient, existingPatientId } from '../../api/patients';
import { toApiError } from '../../api/problem';
import { patientKeys } from '../../api/queryKeys';
import { linkClass } from '../../components/styles';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useI18n } from '../../i18n/useI18n';
import { PatientForm } from './PatientForm';
import { emptyPatientForm, toPatientCreate } from './patientFields';

/** `/patients/new`: register a patient, warned first about possible duplicates. */
export function PatientCreatePage() {
  const { t } = useI18n();
  useDocumentTitle(t('patients.new'));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [values, setValues] = useState(emptyPatientForm);
  const create = useMutation({
    mutationFn: () => createPatient(toPatientCreate(values)),
    onSuccess: async (patient) => {
      await queryClient.invalidateQueries({ queryKey: patientKeys.lists() });
      await navigate({
        to: '/patients/$patientId',
        params: { patientId: patient.id },
        state: { patientNotice: 'patientCreated' },
      });
    },
  });

  return (
    <section aria-labelledby="patient-create-title">
      <p className="mb-2">
        <Link to="/patients" className={linkClass}>
          {t('patients.backToList')}
        </Link>
      </p>
      <h1 id="patient-create-title" className="mb-4 text-2xl font-semibold">
        {t('patients.new')}
      </h1>
      <PatientForm
        values={values}
        onChange={setValues}
        onSubmit={() => create.mutate()}
        submitting={create.isPending}
        error={create.error ? toApiError(create.error) : null}
        existingPatientId={existingPatientId(create.error)}
      />
    </section>
  );
}
