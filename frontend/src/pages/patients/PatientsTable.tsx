import { Link } from '@tanstack/react-router';
import type { Patient } from '../../api/patients';
import { useSession } from '../../auth/SessionContext';
import { linkClass } from '../../components/styles';
import { formatCalendarDate } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import { canBill } from '../billing/access';
import { STATUS_LABELS } from './labels';
import { StatusBadge } from './StatusBadge';

const cell = 'px-3 py-2 text-left align-top';

/** One page of patients: a table, or on a phone a card per patient (index.css, `card-table`). */
export function PatientsTable({ patients, busy }: { patients: readonly Patient[]; busy: boolean }) {
  const { t, locale } = useI18n();
  const { user } = useSession();
  const billing = canBill(user);
  return (
    <div className="card-table-box" aria-busy={busy}>
      <table className="card-table min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-100 text-slate-700">
          <tr>
            <th scope="col" className={cell}>{t('patients.name')}</th>
            <th scope="col" className={cell}>{t('patients.taxId')}</th>
            <th scope="col" className={cell}>{t('patients.birthDate')}</th>
            <th scope="col" className={cell}>{t('patients.phone')}</th>
            <th scope="col" className={cell}>{t('patients.status')}</th>
            <th scope="col" className={cell}>{t('patients.actions')}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {patients.map((patient) => (
            <tr key={patient.id} className={patient.status === 'active' ? '' : 'text-slate-500'}>
              <td className={`${cell} card-title`}>
                <Link
                  to="/patients/$patientId"
                  params={{ patientId: patient.id }}
                  className={`${linkClass} font-medium`}
                >
                  {patient.fullName}
                </Link>
              </td>
              <td className={cell} data-label={t('patients.taxId')}>{patient.taxId}</td>
              <td className={cell} data-label={t('patients.birthDate')}>
                {patient.birthDate && formatCalendarDate(patient.birthDate, locale)}
              </td>
              <td className={cell} data-label={t('patients.phone')}>{patient.phoneDisplay ?? patient.phone}</td>
              <td className={cell} data-label={t('patients.status')}>
                <StatusBadge status={patient.status} label={t(STATUS_LABELS[patient.status])} />
              </td>
              <td className={`${cell} card-actions`}>
                <span className="flex flex-wrap gap-x-3 gap-y-1">
                  <Link
                    to="/patients/$patientId"
                    params={{ patientId: patient.id }}
                    className={linkClass}
                    aria-label={`${t('patients.view')} ${patient.fullName}`}
                  >
                    {t('patients.view')}
                  </Link>
                  <Link
                    to="/patients/$patientId/edit"
                    params={{ patientId: patient.id }}
                    className={linkClass}
                    aria-label={`${t('patients.editAction')} ${patient.fullName}`}
                  >
                    {t('patients.editAction')}
                  </Link>
                  {billing && (
                    <Link
                      to="/invoices/new"
                      search={{ patientId: patient.id }}
                      className={linkClass}
                      aria-label={`${t('patients.invoiceAction')} ${patient.fullName}`}
                    >
                      {t('patients.invoiceAction')}
                    </Link>
                  )}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
