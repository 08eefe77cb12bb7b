import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type FreeSlot, listFreeSlots, type Practitioner } from '../../api/appointments';
import { errorMessage } from '../../api/problem';
import { useI18n } from '../../i18n/useI18n';
import { addDays, localIsoDate } from '../../lib/dates';
import { isLocalDateTime } from '../../lib/dateText';
import { secondaryButton } from '../../components/styles';

/** How far ahead the next free times are looked for, and how many are offered. */
export const SEARCH_DAYS = 14;
export const OFFERED = 6;

/** A free time offered, with whose it is. */
export interface OfferedSlot extends FreeSlot {
  practitionerId: string;
}

/**
 * The first `limit` free times starting at or after `after`, of every practitioner's list merged,
 * soonest first (a tie goes to the practitioner listed first).
 */
export function nextSlots(
  lists: readonly { practitionerId: string; slots: readonly FreeSlot[] }[],
  after: Date,
  limit = OFFERED,
): OfferedSlot[] {
  return lists
    .flatMap(({ practitionerId, slots }) => slots.map((slot) => ({ ...slot, practitionerId })))
    .filter((slot) => new Date(slot.startsAt).getTime() >= after.getTime())
    .toSorted((a, b) => new Date(a.startsAt).getTime() - new Date(b.startsAt).getTime())
    .slice(0, limit);
}

/** Where the search starts: the form's start (`datetime-local`), unless unset, invalid or past. */
export function searchStart(start: string, now: Date): Date {
  const picked = isLocalDateTime(start) ? new Date(start) : now;
  if (Number.isNaN(picked.getTime())) return now;
  return picked > now ? picked : now;
}

interface NextFreeSlotsProps {
  practitioners: readonly Practitioner[];
  practitionerId: string;
  /** The form's start (`datetime-local`): times are looked for from then, never before now. */
  start: string;
  duration: number;
  /** Open already (after a 409): the user needs another time. */
  open: boolean;
  onOpen: () => void;
  onPick: (slot: OfferedSlot) => void;
}

/**
 * "Próximo hueco libre": the next free times of the chosen physiotherapist (or of anyone, when
 * the patient does not mind), from the scheduling service's free-slots API; a click takes one.
 */
export function NextFreeSlots(props: NextFreeSlotsProps) {
  const { t, locale } = useI18n();
  const [anyone, setAnyone] = useState(false);
  // Times already gone are never offered: "now" is when the dialog opened.
  const [now] = useState(() => new Date());
  const after = searchStart(props.start, now);
  const from = localIsoDate(after);
  const to = localIsoDate(addDays(after, SEARCH_DAYS - 1));
  const duration = Math.min(480, Math.max(5, Math.round(props.duration) || 45));
  const whose = anyone
    ? props.practitioners.map((p) => p.id)
    : props.practitionerId
      ? [props.practitionerId]
      : [];
  const found = useQuery({
    queryKey: ['free-slots', whose, from, to, duration],
    queryFn: async () =>
      Promise.all(
        whose.map(async (practitionerId) => ({
          practitionerId,
          slots: await listFreeSlots({ practitionerId, from, to, duration }),
        })),
      ),
    enabled: props.open && whose.length > 0,
  });
  const when = new Intl.DateTimeFormat(locale === 'es' ? 'es-ES' : 'en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  const names = new Map(props.practitioners.map((p) => [p.id, p.fullName]));

  if (!props.open) {
    return (
      <div>
        <button type="button" className={secondaryButton} onClick={props.onOpen}>
          {t('calendar.nextFree.find')}
        </button>
      </div>
    );
  }
  const offered = found.data ? nextSlots(found.data, after) : [];
  return (
    <section aria-labelledby="next-free-title" className="rounded border border-slate-300 p-3 text-sm">
      <h3 id="next-free-title" className="font-medium">
        {t('calendar.nextFree.title')}
      </h3>
      <label className="mt-1 flex items-center gap-2">
        <input type="checkbox" checked={anyone} onChange={(event) => setAnyone(event.target.checked)} />
        {t('calendar.nextFree.anyone')}
      </label>
      {whose.length === 0 ? (
        <p className="mt-1">{t('calendar.nextFree.choosePractitioner')}</p>
      ) : found.isPending ? (
        <p className="mt-1" role="status">
          {t('common.loading')}
        </p>
      ) : found.isError ? (
        <p className="mt-1 text-red-800">{errorMessage(found.error, t)}</p>
      ) : offered.length === 0 ? (
        <p className="mt-1">{t('calendar.nextFree.none', { count: SEARCH_DAYS })}</p>
      ) : (
        <ul className="mt-2 flex flex-wrap gap-2" aria-label={t('calendar.nextFree.title')}>
          {offered.map((slot) => (
            <li key={`${slot.practitionerId}-${slot.startsAt}`}>
              <button type="button" className={secondaryButton} onClick={() => props.onPick(slot)}>
                {when.format(new Date(slot.startsAt))}
                {anyone && ` · ${names.get(slot.practitionerId) ?? ''}`}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
