import { useId, useState } from 'react';
import { CANCELLATION_REASONS, type CancellationReason } from '../../api/appointments';
import { dangerButton, focusRing, secondaryButton } from '../../components/styles';
import { useI18n } from '../../i18n/useI18n';
import { CANCELLATION_REASON_LABELS } from '../appointments/AppointmentStatusBadge';

interface CancelConfirmProps {
  /** The question: cancel this one, or this one and the following sessions. */
  question: string;
  busy: boolean;
  onConfirm: (reason: CancellationReason) => void;
  onBack: () => void;
}

/**
 * "Why is it cancelled?": the patient (in time), the clinic, or a late cancellation, which counts
 * on the patient. Nothing is chosen for the user: "Sí" without a reason says what is missing.
 */
export function CancelConfirm({ question, busy, onConfirm, onBack }: CancelConfirmProps) {
  const { t } = useI18n();
  const [reason, setReason] = useState<CancellationReason | null>(null);
  const [missing, setMissing] = useState(false);
  const errorId = useId();
  const name = useId();

  return (
    <div role="group" aria-label={t('calendar.confirm')}>
    <form
      noValidate
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        if (reason) onConfirm(reason);
        else setMissing(true);
      }}
    >
      <p>{question}</p>
      <fieldset aria-describedby={missing ? errorId : undefined}>
        <legend className="mb-1 font-medium">{t('calendar.cancelReason')}</legend>
        <div className="flex flex-col gap-1">
          {CANCELLATION_REASONS.map((value) => (
            <label key={value} className="flex items-center gap-2">
              <input
                type="radio"
                name={name}
                value={value}
                className={`h-5 w-5 ${focusRing}`}
                checked={reason === value}
                onChange={() => {
                  setReason(value);
                  setMissing(false);
                }}
              />
              {t(CANCELLATION_REASON_LABELS[value])}
            </label>
          ))}
        </div>
      </fieldset>
      {missing && (
        <p id={errorId} role="alert" className="text-sm font-medium text-red-800">
          {t('calendar.cancelReasonRequired')}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={dangerButton} disabled={busy}>
          {t('common.yes')}
        </button>
        <button type="button" className={secondaryButton} onClick={onBack}>
          {t('common.no')}
        </button>
      </div>
    </form>
    </div>
  );
}
