import type {
  BusinessHoursInput,
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
import interactionPlugin, { type EventResizeDoneArg } from '@fullcalendar/interaction';
import FullCalendar from '@fullcalendar/react';
import { useMemo } from 'react';
import timeGridPlugin from '@fullcalendar/timegrid';
import type { Appointment } from '../../api/appointments';
import type { Locale } from '../../i18n/catalogs';
import type { CalendarEventProps } from './calendarEvents';
import type { CalendarViewName } from './calendarSearch';


export interface VisibleRange {
  start: Date;
  end: Date;
  view: CalendarViewName;
  /** The date the view is about (the first day of a week, the day, a day of the month). */
  date: Date;
}

/** The toolbar's button labels in the app's words (FullCalendar's English ones are lower case). */
export type ViewLabels = Record<'today' | 'day' | 'week' | 'month', string>;

interface CalendarViewProps {
  locale: Locale;
  labels: ViewLabels;
  initialDate: string | undefined;
  initialView: CalendarViewName;
  events: EventInput[];
  businessHours: BusinessHoursInput;
  onRangeChange: (range: VisibleRange) => void;
  onSelect: (start: Date, end: Date, allDay: boolean) => void;
  onOpen: (appointment: Appointment) => void;
  /** A drag or resize; `revert` puts the event back when the server refuses the move. */
  onMove: (appointment: Appointment, start: Date, end: Date, revert: () => void) => void;
}

const LOCALES = { es: esLocale, en: enGbLocale } as const;
// Options that never change live outside the component: FullCalendar re-renders on new objects.
const PLUGINS = [timeGridPlugin, dayGridPlugin, interactionPlugin];
const ALL_LOCALES = [esLocale, enGbLocale];
const TOOLBAR = {
  left: 'prev,next today',
  center: 'title',
  right: 'timeGridDay,timeGridWeek,dayGridMonth',
};

function propsOf(event: { extendedProps: Record<string, unknown> }): Partial<CalendarEventProps> {
  return event.extendedProps as Partial<CalendarEventProps>;
}

function eventContent({ event, timeText }: EventContentArg) {
  const { appointment, typeName } = propsOf(event);
  // The mirror of a selection being drawn is not an appointment yet: its time is enough.
  if (!appointment) return <div className="px-0.5 text-xs font-medium">{timeText}</div>;
  return (
    <div className="overflow-hidden px-0.5 text-xs leading-tight" data-appointment-id={appointment.id}>
      <div className="font-medium">{timeText}</div>
      <div className="truncate font-semibold">
        {appointment.status === 'completed' && '✓ '}
        {event.title}
      </div>
      {typeName && <div className="truncate opacity-90">{typeName}</div>}
    </div>
  );
}

/**
 * FullCalendar with the clinic's settings: Monday first, 24-hour clock, the working day in
 * view, today and the current time marked. Kept in its own module so the library is a lazy chunk.
 */
export function CalendarView(props: CalendarViewProps) {
  const { onRangeChange, onSelect, onOpen, onMove } = props;
  const { today, day, week, month } = props.labels;
  // A new object each render would make FullCalendar redraw its toolbar every time.
  const buttonText = useMemo(() => ({ today, day, week, month }), [today, day, week, month]);
  const move = (arg: EventDropArg | EventResizeDoneArg) => {
    const { event, revert } = arg;
    const { appointment } = propsOf(event);
    if (!appointment || !event.start || !event.end) return revert();
    onMove(appointment, event.start, event.end, revert);
  };
  return (
    <FullCalendar
      plugins={PLUGINS}
      locales={ALL_LOCALES}
      locale={LOCALES[props.locale]}
      initialView={props.initialView}
      {...(props.initialDate ? { initialDate: props.initialDate } : {})}
      headerToolbar={TOOLBAR}
      buttonText={buttonText}
      firstDay={1}
      height="auto"
      allDaySlot={false}
      slotMinTime="07:00:00"
      slotMaxTime="21:30:00"
      slotDuration="00:15:00"
      slotLabelInterval="01:00"
      snapDuration="00:15:00"
      nowIndicator
      selectable
      selectMirror
      unselectAuto
      editable
      eventDurationEditable
      dayMaxEvents
      slotEventOverlap={false}
      businessHours={props.businessHours}
      events={props.events}
      eventContent={eventContent}
      datesSet={(arg: DatesSetArg) =>
        onRangeChange({
          start: arg.start,
          end: arg.end,
          view: arg.view.type as CalendarViewName,
          date: arg.view.calendar.getDate(),
        })
      }
      select={(arg: DateSelectArg) => onSelect(arg.start, arg.end, arg.allDay)}
      eventClick={(arg: EventClickArg) => {
        arg.jsEvent.preventDefault();
        const { appointment } = propsOf(arg.event);
        if (appointment) onOpen(appointment);
      }}
      eventDrop={move}
      eventResize={move}
    />
  );
}
