import type { EventMountArg } from '@fullcalendar/core';
import { useSyncExternalStore } from 'react';
import { formatTimeRange } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import type { CalendarEventProps } from './calendarEvents';
import { CANCELLATION_REASON_LABELS } from '../appointments/AppointmentStatusBadge';

export const TOOLTIP_ID = 'calendar-event-tooltip';

/** The event whose details are shown, and where. */
export interface Tip {
  el: HTMLElement;
  title: string;
  props: CalendarEventProps;
  top: number;
  left: number;
}

const listeners = new WeakMap<HTMLElement, () => void>();

// The tooltip's state lives outside React's tree of the calendar: showing it must not re-render
// FullCalendar (a re-render in the middle of a drag drops the drag's callbacks).
let current: Tip | null = null;
const subscribers = new Set<() => void>();
function setTip(next: Tip | null | ((tip: Tip | null) => Tip | null)) {
  current = typeof next === 'function' ? next(current) : next;
  for (const notify of subscribers) notify();
}
function subscribe(notify: () => void) {
  subscribers.add(notify);
  return () => subscribers.delete(notify);
}
const snapshot = () => current;

/**
 * The details of an event under the pointer or with the focus (an event is a focusable link):
 * FullCalendar's mount hooks attach the listeners; the focused or hovered event points at the
 * tooltip with `aria-describedby`, so a screen reader reads it too.
 */
export function tooltipDidMount(arg: EventMountArg) {
  const { el, event } = arg;
  const props = event.extendedProps as Partial<CalendarEventProps>;
  if (!props.appointment) return;
  const show = () => {
    const rect = el.getBoundingClientRect();
    el.setAttribute('aria-describedby', TOOLTIP_ID);
    setTip({
      el,
      title: event.title,
      props: props as CalendarEventProps,
      top: Math.min(rect.bottom + 4, window.innerHeight - 120),
      left: Math.max(4, Math.min(rect.left, window.innerWidth - 260)),
    });
  };
  const hide = () => {
    el.removeAttribute('aria-describedby');
    setTip((tip) => (tip?.el === el ? null : tip));
  };
  const onKey = (key: KeyboardEvent) => {
    if (key.key === 'Escape') hide();
  };
  el.addEventListener('mouseenter', show);
  el.addEventListener('focus', show);
  el.addEventListener('mouseleave', hide);
  el.addEventListener('blur', hide);
  el.addEventListener('mousedown', hide);
  el.addEventListener('keydown', onKey);
  listeners.set(el, () => {
    el.removeEventListener('mouseenter', show);
    el.removeEventListener('focus', show);
    el.removeEventListener('mouseleave', hide);
    el.removeEventListener('blur', hide);
    el.removeEventListener('mousedown', hide);
    el.removeEventListener('keydown', onKey);
    hide();
  });
}

export function tooltipWillUnmount(arg: EventMountArg) {
  listeners.get(arg.el)?.();
  listeners.delete(arg.el);
}

/** Hide whatever tooltip is shown (a drag starts, the page scrolls). */
export function hideTooltip() {
  if (current) {
    current.el.removeAttribute('aria-describedby');
    setTip(null);
  }
}

/** Patient (or the slot's or block's name), type, time, status and physiotherapist of an event. */
export function EventTooltip() {
  const { t, locale } = useI18n();
  const tip = useSyncExternalStore(subscribe, snapshot);
  if (!tip) return null;
  const { appointment, typeName, practitionerName } = tip.props;
  return (
    <div
      id={TOOLTIP_ID}
      role="tooltip"
      data-testid="event-tooltip"
      className="pointer-events-none fixed z-40 max-w-64 rounded-md bg-slate-900 px-3 py-2 text-sm text-white shadow-lg"
      style={{ top: tip.top, left: tip.left }}
    >
      <p className="font-semibold">{tip.title}</p>
      {typeName && <p>{typeName}</p>}
      <p>{formatTimeRange(appointment.startsAt, appointment.endsAt, locale)}</p>
      <p>{t('calendar.tooltip.status', { status: t(`appointments.status.${appointment.status}`) })}</p>
      {appointment.cancellationReason && (
        <p>
          {t('calendar.tooltip.cancellationReason', {
            reason: t(CANCELLATION_REASON_LABELS[appointment.cancellationReason]),
          })}
        </p>
      )}
      {practitionerName && <p>{practitionerName}</p>}
    </div>
  );
}
