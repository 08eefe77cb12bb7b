import { Field } from '../../components/Field';
import { useI18n } from '../../i18n/useI18n';
import { type BookingDraft, toggleWeekday, WEEKDAYS } from './bookingDraft';

interface RepeatFieldsProps {
  draft: BookingDraft;
  /** Applies a change to the draft as it is by then. */
  onChange: (update: (draft: BookingDraft) => BookingDraft) => void;
  error: string | undefined;
}

/** "Repeat every week on … for N sessions": a treatment series. */
export function RepeatFields({ draft, onChange, error }: RepeatFieldsProps) {
  const { t } = useI18n();
  return (
    <fieldset className="rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium">
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            checked={draft.repeat}
            onChange={(e) => {
              const repeat = e.target.checked;
              onChange((current) => ({ ...current, repeat }));
            }}
          />
          {t('calendar.repeat')}
        </label>
      </legend>
      {draft.repeat && (
        <div className="flex flex-col gap-2">
          <div className="flex flex-wrap gap-3" role="group" aria-label={t('calendar.repeatWeekdays')}>
            {WEEKDAYS.map((day) => (
              <label key={day} className="flex items-center gap-1 text-sm">
                <input
                  type="checkbox"
                  checked={draft.weekdays.includes(day)}
                  onChange={() => onChange((current) => toggleWeekday(current, day))}
                />
                {t(`calendar.weekday${day}` as 'calendar.weekday0')}
              </label>
            ))}
          </div>
          <Field
            id="booking-count"
            type="number"
            min={2}
            max={60}
            label={t('calendar.repeatCount')}
            value={String(draft.count)}
            error={error}
            onChange={(event) => {
              const count = Number(event.target.value);
              onChange((current) => ({ ...current, count }));
            }}
          />
        </div>
      )}
    </fieldset>
  );
}
