import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useRouterState } from '@tanstack/react-router';
import { useState } from 'react';
import { getPatient } from '../../api/patients';
import { errorMessage } from '../../api/problem';
import { patientKeys } from '../../api/queryKeys';
import { Alert } from '../../components/Alert';
import { MenuButton } from '../../components/MenuButton';
import { linkClass, primaryButton, secondaryButton } from '../../components/styles';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useI18n } from '../../i18n/useI18n';
import { useSession } from '../../auth/SessionContext';
import { canBill } from '../billing/access';
import { PatientBalance } from '../billing/PatientBalance';
import { canReadRecords } from '../records/access';
import { ClinicalHistory } from '../records/ClinicalHistory';
import { RECORDS_NOTICE_MESSAGES } from '../records/labels';
import { NOTICE_MESSAGES, STATUS_LABELS } from './labels';
import { PatientAppointments } from './PatientAppointments';
import { PatientAttendance } from './PatientAttendance';
import { PatientDemographics } from './PatientDemographics';
import { PatientStatusActions } from './PatientStatusActions';
import { StatusBadge } from './StatusBadge';

const route = getRouteApi('/app/patients/$patientId');

/**
 * `/patients/$patientId`: who the patient is, their status, their appointments and, for
 * practitioners and admins, their clinical history.
 */
export function PatientDetailPage() {
  const { t } = useI18n();
  const { patientId } = route.useParams();
  const notice = useRouterState({ select: (state) => state.location.state.patientNotice });
  const recordsNotice = useRouterState({ select: (state) => state.location.state.recordsNotice });
  const { user } = useSession();
  const patient = useQuery({
    queryKey: patientKeys.detail(patientId),
    queryFn: () => getPatient(patientId),
  });
  const stored = patient.data?.data;
  const [confirmingDeactivation, setConfirmingDeactivation] = useState(false);
  useDocumentTitle(stored?.fullName ?? t('patients.title'));

  return (
    <section aria-labelledby="patient-title">
      <p className="mb-2">
        <Link to="/patients" className={linkClass}>
          {t('patients.backToList')}
        </Link>
      </p>
      {patient.isPending && <p role="status">{t('common.loading')}</p>}
      {patient.isError && (
        <div className="flex flex-col items-start gap-3">
          <h1 id="patient-title" className="text-2xl font-semibold">
            {t('patients.title')}
          </h1>
          <Alert>{errorMessage(patient.error, t)}</Alert>
          <button type="button" className={secondaryButton} onClick={() => void patient.refetch()}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {patient.data && stored && (
        <div className="flex flex-col gap-4">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h1 id="patient-title" className="flex flex-wrap items-center gap-3 text-2xl font-semibold">
              {stored.fullName}
              <StatusBadge status={stored.status} label={t(STATUS_LABELS[stored.status])} />
            </h1>
            {/* What the desk does most first; what takes the patient away tucked in a menu. */}
            <div className="flex flex-wrap items-center gap-2">
              {/* The API refuses to book an inactive patient: reactivate first. */}
              {stored.status === 'active' && (
                <Link to="/calendar" search={{ patientId: stored.id }} className={primaryButton}>
                  {t('patientAppointments.book')}
                </Link>
              )}
              <Link
                to="/patients/$patientId/edit"
                params={{ patientId: stored.id }}
                className={secondaryButton}
              >
                {t('patients.editAction')}
              </Link>
              {stored.status === 'active' && (
                <MenuButton
                  label={t('patients.moreActions')}
                  actions={[
                    { label: t('patients.deactivateAction'), danger: true, run: () => setConfirmingDeactivation(true) },
                  ]}
                />
              )}
            </div>
          </div>
          <PatientAttendance patientId={stored.id} />
          {notice && <Alert tone="success">{t(NOTICE_MESSAGES[notice])}</Alert>}
          {recordsNotice && <Alert tone="success">{t(RECORDS_NOTICE_MESSAGES[recordsNotice])}</Alert>}
          <PatientStatusActions
            patient={patient.data}
            onReload={() => void patient.refetch()}
            confirming={confirmingDeactivation}
            setConfirming={setConfirmingDeactivation}
          />
          <PatientDemographics patient={stored} />
          <PatientAppointments patient={stored} />
          {/* What the patient owes: only for those who bill (practitioners get 403 on billing). */}
          {canBill(user) && <PatientBalance patientId={stored.id} />}
          {/* Clinical content only for practitioners and admins: receptionists get no section and no request. */}
          {canReadRecords(user) && <ClinicalHistory patientId={stored.id} />}
        </div>
      )}
    </section>
  );
}
