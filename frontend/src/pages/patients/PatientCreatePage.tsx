import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import { useIdempotencyKey } from '../../api/idempotency';
import { createPatient, existingPatientId, type PatientCreate } from '../../api/patients';
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
  const idempotency = useIdempotencyKey();
  // The body last sent and the form it came from: sending the same form again sends the very same
  // body (a new consent is stamped with the time of the first try), so it keeps its key.
  const sent = useRef<{ form: string; body: PatientCreate } | null>(null);
  const create = useMutation({
    mutationFn: ({ body, key }: { body: PatientCreate; key: string }) => createPatient(body, key),
    onSuccess: async (patient) => {
      idempotency.reset();
      sent.current = null;
      await queryClient.invalidateQueries({ queryKey: patientKeys.lists() });
      await navigate({
        to: '/patients/$patientId',
        params: { patientId: patient.id },
        state: { patientNotice: 'patientCreated' },
      });
    },
  });

  function submit() {
    const form = JSON.stringify(values);
    if (sent.current?.form !== form) sent.current = { form, body: toPatientCreate(values) };
    const { body } = sent.current;
    create.mutate({ body, key: idempotency.keyFor(body) });
  }

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
        onSubmit={submit}
        submitting={create.isPending}
        error={create.error ? toApiError(create.error) : null}
        existingPatientId={existingPatientId(create.error)}
      />
    </section>
  );
}
