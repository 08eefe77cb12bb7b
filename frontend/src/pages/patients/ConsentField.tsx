import { focusRing } from '../../components/styles';
import { formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';

interface ConsentFieldProps {
  id: string;
  given: boolean;
  /** When the stored consent was recorded (kept while the box stays ticked). */
  givenAt: string | null;
  error: string | undefined;
  onChange: (given: boolean) => void;
}

/** The GDPR consent box, with the date it was given or what ticking it means. */
export function ConsentField({ id, given, givenAt, error, onChange }: ConsentFieldProps) {
  const { t, locale } = useI18n();
  const noteId = `${id}-note`;
  let note = t('patients.dataConsentHint');
  if (given && givenAt) note = t('patients.dataConsentGiven', { date: formatDateTime(givenAt, locale) });
  return (
    <div>
      <label className="flex items-start gap-2 text-base">
        <input
          id={id}
          type="checkbox"
          name="dataConsent"
          className={`mt-1 h-5 w-5 rounded border-slate-400 ${focusRing}`}
          checked={given}
          aria-invalid={error ? true : undefined}
          aria-describedby={noteId}
          onChange={(event) => onChange(event.target.checked)}
        />
        {t('patients.dataConsent')}
      </label>
      <p
        id={noteId}
        className={`mt-1 text-sm ${error ? 'font-medium text-red-700' : 'text-slate-600'}`}
      >
        {error ?? note}
      </p>
    </div>
  );
}
