import type { Practitioner } from '../../api/appointments';
import { useI18n } from '../../i18n/useI18n';
import { DEFAULT_COLOR } from './calendarEvents';

interface PractitionerFilterProps {
  practitioners: readonly Practitioner[];
  shown: ReadonlySet<string>;
  onToggle: (id: string) => void;
  showCancelled: boolean;
  onShowCancelled: (show: boolean) => void;
}

/** Whose appointments the calendar shows, each in their colour; and whether cancelled ones too. */
export function PractitionerFilter(props: PractitionerFilterProps) {
  const { t } = useI18n();
  return (
    <div className="flex flex-wrap items-center gap-x-5 gap-y-2">
      <fieldset className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <legend className="sr-only">{t('calendar.practitioners')}</legend>
        <span aria-hidden="true" className="text-sm font-medium text-slate-700">
          {t('calendar.practitioners')}:
        </span>
        {props.practitioners.map((practitioner) => (
          <label key={practitioner.id} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={props.shown.has(practitioner.id)}
              onChange={() => props.onToggle(practitioner.id)}
            />
            <span
              aria-hidden="true"
              className="inline-block h-3 w-3 rounded-full"
              style={{ backgroundColor: practitioner.color ?? DEFAULT_COLOR }}
            />
            {practitioner.fullName}
          </label>
        ))}
      </fieldset>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={props.showCancelled}
          onChange={(event) => props.onShowCancelled(event.target.checked)}
        />
        {t('calendar.showCancelled')}
      </label>
    </div>
  );
}
