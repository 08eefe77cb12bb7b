import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Versioned } from '../../api/http';
import { type Patient, type PatientStatus, updatePatient } from '../../api/patients';
import { errorMessage, toApiError } from '../../api/problem';
import { patientKeys } from '../../api/queryKeys';
import { Alert } from '../../components/Alert';
import { dangerButton, secondaryButton } from '../../components/styles';
import { useI18n } from '../../i18n/useI18n';
import { patientUpdateFrom } from './patientFields';

interface PatientStatusActionsProps {
  patient: Versioned<Patient>;
  onReload: () => void;
  /** Whether "Desactivar…" was chosen (in the page's "Más acciones" menu): ask before doing it. */
  confirming: boolean;
  setConfirming: (confirming: boolean) => void;
}

/**
 * Deactivate (asked for in the page's menu, then confirmed here) or reactivate a patient: a PUT
 * of the stored data with If-Match.
 */
export function PatientStatusActions({ patient, onReload, confirming, setConfirming }: PatientStatusActionsProps) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const { data: stored, etag } = patient;
  const change = useMutation({
    mutationFn: (status: PatientStatus) =>
      updatePatient(stored.id, patientUpdateFrom(stored, status), etag),
    onSuccess: async (saved) => {
      setConfirming(false);
      queryClient.setQueryData(patientKeys.detail(saved.data.id), saved);
      await queryClient.invalidateQueries({ queryKey: patientKeys.lists() });
    },
  });
  const error = change.error ? toApiError(change.error) : null;
  const done = change.isSuccess ? change.data.data.status : null;

  return (
    <div className="flex flex-col gap-3">
      {error?.status === 412 && (
        <Alert tone="warning">
          <p className="mb-2">{t('errors.staleEdit')}</p>
          <button
            type="button"
            className={secondaryButton}
            onClick={() => {
              change.reset();
              onReload();
            }}
          >
            {t('common.reload')}
          </button>
        </Alert>
      )}
      {error && error.status !== 412 && <Alert>{errorMessage(error, t)}</Alert>}
      {done && (
        <Alert tone="success">
          {t(done === 'inactive' ? 'patients.deactivated' : 'patients.reactivated')}
        </Alert>
      )}
      {stored.status === 'inactive' && (
        <div>
          <button
            type="button"
            className={secondaryButton}
            disabled={change.isPending}
            onClick={() => change.mutate('active')}
          >
            {t('patients.reactivate')}
          </button>
        </div>
      )}
      {confirming && (
        <div
          role="group"
          aria-labelledby="patient-deactivate-question"
          className="max-w-xl rounded-md border border-red-200 bg-red-50 p-4"
          // Focus comes here from the menu, so the question is read out before its buttons.
          tabIndex={-1}
          ref={(element) => element?.focus()}
        >
          <p id="patient-deactivate-question" className="mb-3 text-red-900">
            {t('patients.deactivateConfirm', { name: stored.fullName })}
          </p>
          <div className="flex flex-wrap gap-3">
            <button
              type="button"
              className={dangerButton}
              disabled={change.isPending}
              onClick={() => change.mutate('inactive')}
            >
              {t('patients.deactivate')}
            </button>
            <button type="button" className={secondaryButton} onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
