import type { Appointment, Clash } from '../../api/appointments';
import { useI18n } from '../../i18n/useI18n';
import { describeClashes } from './calendarEvents';

const TIME_TAGS = { es: 'es-ES', en: 'en-GB' } as const;

/** The appointments a 409 names, as "Tue 3 Mar 10:00–10:45 · Ana López". */
export function ClashList({ clashes, loaded }: { clashes: readonly Clash[]; loaded: readonly Appointment[] }) {
  const { t, locale } = useI18n();
  const day = new Intl.DateTimeFormat(TIME_TAGS[locale], { weekday: 'short', day: 'numeric', month: 'short' });
  const time = new Intl.DateTimeFormat(TIME_TAGS[locale], { hour: '2-digit', minute: '2-digit' });
  return (
    <ul className="mt-1 list-disc pl-5" data-testid="clash-list">
      {describeClashes(clashes, loaded).map(({ clash, known }) => {
        const start = new Date(clash.startsAt);
        const who =
          clash.kind === 'empty_slot'
            ? t('calendar.emptySlot')
            : clash.kind === 'block'
              ? (known?.title ?? t('calendar.block'))
              : (known?.patientName ?? t('calendar.anotherAppointment'));
        return (
          <li key={clash.id}>
            {day.format(start)} {time.format(start)}–{time.format(new Date(clash.endsAt))} · {who}
            {known?.practitionerName ? ` (${known.practitionerName})` : ''}
          </li>
        );
      })}
    </ul>
  );
}
