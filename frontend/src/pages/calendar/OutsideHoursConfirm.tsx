import { useEffect, useId, useRef } from 'react';
import type { OutsideHours } from '../../api/appointments';
import { primaryButton, secondaryButton } from '../../components/styles';
import { formatCalendarDate } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';

interface OutsideHoursConfirmProps {
  /** What the server refused, and why. */
  outside: OutsideHours;
  /** The question, e.g. "Outside working hours: book anyway?". */
  question: string;
  /** The label of the button that sends the request again with `allowOutsideHours`. */
  confirmLabel: string;
  busy: boolean;
  onConfirm: () => void;
  /** Back to the form (everything typed is kept), e.g. to change the time. */
  onBack: () => void;
}

/**
 * "Outside working hours: book anyway?" inside a dialog, after the server refused the time. The
 * question and the reason name the group; focus moves to the confirming button, so Enter books
 * and Tab reaches "change the time".
 */
export function OutsideHoursConfirm(props: OutsideHoursConfirmProps) {
  const { t, locale } = useI18n();
  const questionId = useId();
  const reasonId = useId();
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    confirm.current?.focus();
  }, []);
  const { dates, reason } = props.outside;
  const because =
    dates.length > 0
      ? t('calendar.outsideHours.dates', { dates: dates.map((day) => formatCalendarDate(day, locale)).join(', ') })
      : t(`calendar.outsideHours.${reason}`);
  return (
    <div
      role="group"
      aria-labelledby={questionId}
      aria-describedby={reasonId}
      data-testid="outside-hours"
      className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950"
    >
      <p id={questionId} className="font-medium">
        {props.question}
      </p>
      <p id={reasonId} className="mt-1">
        {because}
      </p>
      <div className="mt-2 flex flex-wrap gap-2">
        <button ref={confirm} type="button" className={primaryButton} disabled={props.busy} onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
        <button type="button" className={secondaryButton} onClick={props.onBack}>
          {t('calendar.outsideHours.back')}
        </button>
      </div>
    </div>
  );
}
