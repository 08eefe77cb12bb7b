import { Link } from '@tanstack/react-router';
import type { DuplicateCandidate } from '../../api/patients';
import { Alert } from '../../components/Alert';
import { linkClass } from '../../components/styles';
import { formatCalendarDate } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';

const REASONS = {
  taxId: 'patients.duplicates.sameTaxId',
  similarName: 'patients.duplicates.similarName',
} as const;

/** "Possible duplicate": patients that may be this one, each opening in another tab. */
export function DuplicateWarning({ candidates }: { candidates: readonly DuplicateCandidate[] }) {
  const { t, locale } = useI18n();
  if (candidates.length === 0) return null;
  return (
    <Alert tone="warning">
      <p className="font-medium">{t('patients.duplicates.title')}</p>
      <ul className="my-2 list-disc pl-5">
        {candidates.map((candidate) => (
          <li key={candidate.id}>
            {/* Another tab, so nothing typed here is lost by looking. */}
            <Link
              to="/patients/$patientId"
              params={{ patientId: candidate.id }}
              target="_blank"
              rel="noopener"
              className={linkClass}
            >
              {candidate.fullName}
              <span className="sr-only">{` ${t('common.opensInNewTab')}`}</span>
            </Link>
            {candidate.birthDate && <> · {formatCalendarDate(candidate.birthDate, locale)}</>}
            {candidate.taxId && <> · {candidate.taxId}</>}
            {candidate.reason && <> ({t(REASONS[candidate.reason])})</>}
          </li>
        ))}
      </ul>
      <p>{t('patients.duplicates.continue')}</p>
    </Alert>
  );
}
