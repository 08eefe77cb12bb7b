import type {
  BusinessHoursInput,
  CalendarOptions,
  DateSelectArg,
  DatesSetArg,
  EventClickArg,
  EventContentArg,
  EventDropArg,
  EventInput,
} from '@fullcalendar/core';
import enGbLocale from '@fullcalendar/core/locales/en-gb';
import esLocale from '@fullcalendar/core/locales/es';
import dayGridPlugin from '@fullcalendar/daygrid';
import interactionPlugin, {
  type EventDragStopArg,
  type EventResizeDoneArg,
} from '@fullcalendar/interaction';
import listPlugin from '@fullcalendar/list';
import FullCalendar from '@fullcalendar/react';
import { type RefObject, useEffect, useMemo, useRef, useState } from 'react';
import timeGridPlugin from '@fullcalendar/timegrid';
import type { Appointment, Practitioner, WorkingHours } from '../../api/appointments';
import type { Locale } from '../../i18n/catalogs';
import { businessHours, type CalendarEventProps, DEFAULT_COLOR } from './calendarEvents';
import type { CalendarViewName } from './calendarSearch';
import { EventTooltip, hideTooltip, tooltipDidMount, tooltipWillUnmount } from './EventTooltip';
import type { MoveTarget } from './useAppointmentMove';
import { bookingStartFor } from './practitionerColumns';
import { atSlot, columnDropAt } from './columnDrop';
import { addDays } from '../../lib/dates';


export interface VisibleRange {
  start: Date;
  end: Date;
  view: CalendarViewName;
  /** The date the view is about (the first day of a week, the day, a day of the month). */
  date: Date;
}

/** The toolbar's button labels in the app's words (FullCalendar's English ones are lower case). */
export type ViewLabels = Record<'today' | 'day' | 'week' | 'month' | 'columns' | 'list' | 'listEmpty', string>;

interface CalendarViewProps {
  locale: Locale;
  labels: ViewLabels;
  initialDate: string | undefined;
  initialView: CalendarViewName;
  events: EventInput[];
  businessHours: BusinessHoursInput;
  /** The physiotherapists shown: one column each in the day view by columns. */
  practitioners: readonly Practitioner[];
  /** Their weekly hours, to shade each column apart. */
  hours: readonly WorkingHours[];
  /** Weekdays nobody shown works (0 = Sunday, as FullCalendar counts): left out of the grid. */
  hiddenDays: number[];
  onRangeChange: (range: VisibleRange) => void;
  /** Whether a time may be picked now (not while the week or the setup is still loading). */
  selectable: boolean;
  /** A time picked; `practitionerId` when picked in a physiotherapist's column. */
  onSelect: (start: Date, end: Date, allDay: boolean, practitionerId?: string) => void;
  onOpen: (appointment: Appointment) => void;
  /** A drag or resize; `revert` puts the event back when the server refuses the move. */
  onMove: (appointment: Appointment, target: MoveTarget, revert: () => void) => void;
  /** "Reservar con …" of a column. */
  bookWithLabel: (name: string) => string;
  /** "Reservar": what the column's button shows (its name says with whom). */
  bookLabel: string;
  columnsLabel: string;
  nobodyShown: string;
}

const LOCALES = { es: esLocale, en: enGbLocale } as const;
// Options that never change live outside the component: FullCalendar re-renders on new objects.
const PLUGINS = [timeGridPlugin, dayGridPlugin, listPlugin, interactionPlugin];
const ALL_LOCALES = [esLocale, enGbLocale];
const TOOLBAR = {
  left: 'prev,next today',
  center: 'title',
  right: 'practitionerDay,listDay,timeGridDay,timeGridWeek,dayGridMonth',
};
// The day by columns: the main calendar keeps its toolbar and date (prev, next, today, the URL)
// while its own grid is hidden and one single-day calendar per physiotherapist is drawn below it
// (ADR 0010: built from the MIT views, not the premium resource plugin).
const VIEWS = { practitionerDay: { type: 'timeGrid', duration: { days: 1 } } };
const NO_EVENTS: EventInput[] = [];

// The grid every calendar draws: the main one and each physiotherapist's column alike.
const GRID: CalendarOptions = {
  plugins: PLUGINS,
  locales: ALL_LOCALES,
  firstDay: 1,
  height: 'auto',
  allDaySlot: false,
  slotMinTime: '07:00:00',
  slotMaxTime: '21:30:00',
  slotDuration: '00:15:00',
  slotLabelInterval: '01:00',
  snapDuration: '00:15:00',
  nowIndicator: true,
  selectMirror: true,
  unselectAuto: true,
  editable: true,
  eventDurationEditable: true,
  // "+2 más" in a month's day with more than three appointments.
  dayMaxEvents: 3,
  slotEventOverlap: false,
};

function propsOf(event: { extendedProps: Record<string, unknown> }): Partial<CalendarEventProps> {
  return event.extendedProps as Partial<CalendarEventProps>;
}

function eventContent({ event, timeText, view }: EventContentArg) {
  const { appointment, typeName, statusLabel } = propsOf(event);
  // The list has its own time column: the line is the patient, the type and the status.
  if (appointment && view.type.startsWith('list')) {
    return listLine(appointment.id, event.title, typeName, statusLabel ? { text: statusLabel, status: appointment.status } : null);
  }
  // The mirror of a selection being drawn is not an appointment yet: its time is enough.
  if (!appointment) return <div className="px-0.5 text-xs font-medium">{timeText}</div>;
  return (
    <div className="overflow-hidden px-0.5 text-xs leading-tight" data-appointment-id={appointment.id}>
      <div className="font-medium">
        {timeText}
        {/* Words on a white chip, on the first line so even a short event shows it: the
            practitioner's colour must not be what tells a no-show apart. */}
        {statusLabel && (
          <span
            className={`appointment-status-label ml-1 inline-block rounded-sm bg-white px-1 font-bold ring-1 ${labelTone(appointment.status)}`}
            data-testid="appointment-status-label"
          >
            {statusLabel}
          </span>
        )}
      </div>
      <div className="truncate font-semibold">
        {appointment.status === 'completed' && '✓ '}
        {event.title}
      </div>
      {/* Full white: faded text on a practitioner's colour fails WCAG's contrast. */}
      {typeName && <div className="truncate">{typeName}</div>}
    </div>
  );
}

/** Red for what went wrong (no-show, cancelled), violet for a patient in the waiting room. */
function labelTone(status: Appointment['status']): string {
  return status === 'arrived' ? 'text-violet-900 ring-violet-900' : 'text-red-800 ring-red-800';
}

function listLine(
  id: string,
  title: string,
  typeName?: string | null,
  label?: { text: string; status: Appointment['status'] } | null,
) {
  return (
    <span className="flex flex-wrap items-baseline gap-x-2" data-appointment-id={id}>
      <span className="font-semibold">{title}</span>
      {typeName && <span className="text-slate-700">{typeName}</span>}
      {label && (
        <span
          className={`appointment-status-label rounded-sm px-1 font-bold ring-1 ${labelTone(label.status)}`}
          data-testid="appointment-status-label"
        >
          {label.text}
        </span>
      )}
    </span>
  );
}

/**
 * FullCalendar draws its toolbar arrows as `<span role="img">` without a name (axe's role-img-alt);
 * the buttons around are named by their titles, so the icons are hidden from assistive tech.
 * FullCalendar redraws the toolbar now and then: watch it and mark the new icons too.
 */
function useNamelessIconsHidden() {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = box.current;
    if (!root) return;
    const hide = () => {
      for (const icon of root.querySelectorAll('.fc-icon[role="img"]:not([aria-hidden])')) {
        icon.setAttribute('aria-hidden', 'true');
      }
    };
    hide();
    const watcher = new MutationObserver(hide);
    watcher.observe(root, { childList: true, subtree: true });
    return () => watcher.disconnect();
  }, []);
  return box;
}

/**
 * Once, when the calendar first shows today: bring the current time to the middle of the screen.
 * It waits for the grid as long as it takes to load (a slow phone, a busy machine), but never
 * scrolls once the user has started scrolling or typing.
 */
function useScrolledToNow(box: RefObject<HTMLDivElement | null>) {
  useEffect(() => {
    let tries = 0;
    const stop = () => window.clearInterval(timer);
    const timer = window.setInterval(() => {
      tries += 1;
      // The first one drawn (the main calendar's grid is hidden in the day by columns).
      const line = [...(box.current?.querySelectorAll('.fc-timegrid-now-indicator-line') ?? [])].find(
        (item) => item.getClientRects().length > 0,
      );
      if (line) line.scrollIntoView({ block: 'center' });
      if (line || tries > 150) stop();
    }, 200);
    const userMoved = ['wheel', 'touchmove', 'keydown'] as const;
    for (const type of userMoved) window.addEventListener(type, stop, { once: true, passive: true });
    return () => {
      stop();
      for (const type of userMoved) window.removeEventListener(type, stop);
    };
  }, [box]);
}

/**
 * FullCalendar with the clinic's settings: Monday first, 24-hour clock, the working day in
 * view, today and the current time marked. Kept in its own module so the library is a lazy chunk.
 */
export function CalendarView(props: CalendarViewProps) {
  const { onRangeChange, onSelect, onOpen, onMove } = props;
  const { today, day, week, month, columns, list, listEmpty } = props.labels;
  // A new object each render would make FullCalendar redraw its toolbar every time.
  const buttonText = useMemo(
    () => ({ today, day, week, month, practitionerDay: columns, listDay: list }),
    [today, day, week, month, columns, list],
  );
  // FullCalendar's own hint would read "Vista del lista": the button's words say it already.
  const buttonHints = useMemo(() => ({ practitionerDay: columns, listDay: list }), [columns, list]);
  const box = useNamelessIconsHidden();
  useScrolledToNow(box);
  const [shown, setShown] = useState<{ view: CalendarViewName; date: Date } | null>(null);
  const byColumns = (shown?.view ?? props.initialView) === 'practitionerDay';
  const move = (arg: EventDropArg | EventResizeDoneArg) => {
    const { event, revert } = arg;
    const { appointment } = propsOf(event);
    if (!appointment || !event.start || !event.end) return revert();
    onMove(appointment, { start: event.start, end: event.end }, revert);
  };
  const open = (arg: EventClickArg) => {
    arg.jsEvent.preventDefault();
    const { appointment } = propsOf(arg.event);
    if (appointment) onOpen(appointment);
  };
  const shared = {
    ...GRID,
    locale: LOCALES[props.locale],
    selectable: props.selectable,
    hiddenDays: props.hiddenDays,
    eventContent,
    eventClick: open,
    eventDrop: move,
    eventResize: move,
    eventDidMount: tooltipDidMount,
    eventWillUnmount: tooltipWillUnmount,
    eventDragStart: hideTooltip,
    eventResizeStart: hideTooltip,
  };
  return (
    <div ref={box} className={byColumns ? 'calendar-by-columns' : undefined}>
      <FullCalendar
        {...shared}
        views={VIEWS}
        initialView={props.initialView}
        {...(props.initialDate ? { initialDate: props.initialDate } : {})}
        headerToolbar={TOOLBAR}
        buttonText={buttonText}
        buttonHints={buttonHints}
        noEventsText={listEmpty}
        businessHours={props.businessHours}
        events={byColumns ? NO_EVENTS : props.events}
        datesSet={(arg: DatesSetArg) => {
          const date = arg.view.calendar.getDate();
          setShown({ view: arg.view.type as CalendarViewName, date });
          const view = arg.view.type as CalendarViewName;
          onRangeChange({ start: arg.start, end: wholeWeeks(arg.start, arg.end, view), view, date });
        }}
        select={(arg: DateSelectArg) => onSelect(arg.start, arg.end, arg.allDay)}
      />
      {byColumns && shown && (
        <PractitionerColumns {...props} shared={shared} date={startOfDay(shown.date)} />
      )}
      <EventTooltip />
    </div>
  );
}

/**
 * The end of what to load: a week (or month) view's whole weeks, even with its weekend left out,
 * so hiding or showing the weekend (once the hours are in) does not load the range again.
 */
function wholeWeeks(start: Date, end: Date, view: CalendarViewName): Date {
  if (view === 'timeGridDay' || view === 'practitionerDay' || view === 'listDay') return end;
  const days = Math.round((end.getTime() - start.getTime()) / 86_400_000);
  return addDays(start, Math.ceil(days / 7) * 7);
}

/** The start of the day a column shows (the main calendar's date may carry a time). */
function startOfDay(date: Date): Date {
  const day = new Date(date);
  day.setHours(0, 0, 0, 0);
  return day;
}

type ColumnsProps = CalendarViewProps & { shared: CalendarOptions; date: Date };

/**
 * The day by columns: a single-day time grid per physiotherapist shown, side by side, the hours
 * along the first one only. A click (or drag) in a column books with that physiotherapist; a drag
 * into another column hands the appointment over (asked first); each column's header offers
 * "Reservar con …", the keyboard's way in.
 */
function PractitionerColumns(props: ColumnsProps) {
  const { onSelect, onMove, shared, date } = props;
  // A drag into another column leaves the event drawn there until the server says yes: redraw.
  const [generation, setGeneration] = useState(0);
  // Where the pointer was pressed (the slot a drag starts from, as FullCalendar counts it), the
  // slot the dragged event was picked up at, and whether its drop went to another column.
  const pressedAt = useRef({ x: 0, y: 0 });
  const grabbed = useRef<{ from: string | null; handedOver: boolean }>({ from: null, handedOver: false });
  const grab = () => {
    hideTooltip();
    const from = columnDropAt(document, pressedAt.current.x, pressedAt.current.y)?.time ?? null;
    grabbed.current = { from, handedOver: false };
  };
  const day = date.toISOString();
  // Each column's shading, kept while the hours do not change (a new object redraws the grid).
  const { hoursOf, shadingOf } = useMemo(
    () => ({
      hoursOf: new Map(props.hours.map((h) => [h.practitionerId, h])),
      shadingOf: new Map(props.hours.map((h) => [h.practitionerId, businessHours([h])])),
    }),
    [props.hours],
  );
  // Each column's appointments, kept while the appointments do not change.
  const eventsOf = useMemo(() => {
    const grouped = new Map<string, EventInput[]>();
    for (const event of props.events) {
      const id = (event.extendedProps as Partial<CalendarEventProps> | undefined)?.appointment?.practitionerId;
      if (id) grouped.set(id, [...(grouped.get(id) ?? []), event]);
    }
    return grouped;
  }, [props.events]);
  if (props.practitioners.length === 0) {
    return <p className="mt-3 text-sm text-slate-700">{props.nobodyShown}</p>;
  }
  return (
    <div
      role="group"
      aria-label={props.columnsLabel}
      className="practitioner-columns mt-2 flex overflow-x-auto"
      data-testid="practitioner-columns"
      onPointerDownCapture={(pressed) => {
        pressedAt.current = { x: pressed.clientX, y: pressed.clientY };
      }}
    >
      {props.practitioners.map((practitioner, index) => {
        const hours = hoursOf.get(practitioner.id);
        const events = eventsOf.get(practitioner.id) ?? NO_EVENTS;
        // A drop on another column (columnDrop.ts says why it is read off the page) hands the
        // appointment over, asked first; the drag itself is undone in this column.
        const letGo = (arg: EventDragStopArg) => {
          const pointer = arg.jsEvent as MouseEvent;
          const { appointment } = propsOf(arg.event);
          const { start, end } = arg.event;
          const { from } = grabbed.current;
          const drop = columnDropAt(document, pointer.clientX, pointer.clientY);
          if (!appointment || !start || !end || !from || !drop || drop.practitionerId === practitioner.id) return;
          grabbed.current.handedOver = true;
          // Moved by as many slots as the pointer went down (or up), as within a column.
          const shift = atSlot(date, drop.time).getTime() - atSlot(date, from).getTime();
          const newStart = new Date(start.getTime() + shift);
          const newEnd = new Date(end.getTime() + shift);
          setGeneration((n) => n + 1);
          onMove(appointment, { start: newStart, end: newEnd, practitionerId: drop.practitionerId }, () =>
            setGeneration((n) => n + 1),
          );
        };
        const drop = (arg: EventDropArg) => {
          if (grabbed.current.handedOver) return arg.revert();
          shared.eventDrop?.(arg);
        };
        return (
          <section
            key={practitioner.id}
            aria-label={practitioner.fullName}
            data-practitioner-id={practitioner.id}
            className={`practitioner-column ${index === 0 ? 'practitioner-column-first' : ''}`}
          >
            <div
              className="practitioner-column-header flex flex-col items-center gap-1 border-b-4 px-1 py-2 text-center"
              style={{ borderBottomColor: practitioner.color ?? DEFAULT_COLOR }}
            >
              <h2 className="max-w-full truncate text-sm font-semibold">{practitioner.fullName}</h2>
              <button
                type="button"
                className="rounded border border-teal-700 px-2 py-0.5 text-xs font-medium text-teal-800 hover:bg-teal-50 focus:outline-2 focus:outline-offset-2 focus:outline-teal-700 disabled:opacity-50"
                disabled={!props.selectable}
                onClick={() => {
                  const start = bookingStartFor(date, hours, new Date());
                  onSelect(start, start, false, practitioner.id);
                }}
              >
                <span aria-hidden="true">{props.bookLabel}</span>
                <span className="sr-only">{props.bookWithLabel(practitioner.fullName)}</span>
              </button>
            </div>
            <FullCalendar
              key={`${day}-${generation}`}
              {...shared}
              initialView="timeGridDay"
              initialDate={date}
              headerToolbar={false}
              dayHeaders={false}
              businessHours={shadingOf.get(practitioner.id) ?? false}
              events={events}
              select={(arg: DateSelectArg) => onSelect(arg.start, arg.end, arg.allDay, practitioner.id)}
              eventDragStart={grab}
              eventDragStop={letGo}
              eventDrop={drop}
            />
          </section>
        );
      })}
    </div>
  );
}
