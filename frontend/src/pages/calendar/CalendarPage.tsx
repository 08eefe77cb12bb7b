import { getRouteApi, Link } from '@tanstack/react-router';
import { useCallback, useMemo, useState } from 'react';
import type { Appointment } from '../../api/appointments';
import { errorMessage } from '../../api/problem';
import { Alert } from '../../components/Alert';
import { linkClass, primaryButton, secondaryButton } from '../../components/styles';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useSession } from '../../auth/SessionContext';
import { useI18n } from '../../i18n/useI18n';
import { addDays, localIsoDate, nextFullHour } from '../../lib/dates';
import { canBill } from '../billing/access';
import { writesNotes } from '../records/access';
import { AppointmentDialog } from './AppointmentDialog';
import { BookingDialog } from './BookingDialog';
import { type BookingDraft, newDraft } from './bookingDraft';
import { CalendarView, type VisibleRange } from './CalendarView';
import './calendar.css';
import { ClashList } from './ClashList';
import { MoveConfirm } from './MoveConfirm';
import { hiddenWeekendDays } from './practitionerColumns';
import { toEvents, visibleAppointments } from './calendarEvents';
import { EmptySlotsDialog } from './EmptySlotsDialog';
import type { PickedPatient } from './PatientPicker';
import { PractitionerFilter } from './PractitionerFilter';
import { type CalendarNotice, type MoveQuestion, useAppointmentMove } from './useAppointmentMove';
import { useCalendarData } from './useCalendarData';
import { WeekStatus } from './WeekStatus';

const route = getRouteApi('/app/calendar');

/** Under this width (a phone) the day's columns are too narrow to read: the calendar opens on a list. */
export const PHONE_WIDTH = 768;

/**
 * The view the calendar opens on without `?view=`: the day with a column per physiotherapist
 * (what the front desk works from all day), or on a phone the day's appointments as a list.
 */
export function openingView(width: number): 'practitionerDay' | 'listDay' {
  return width < PHONE_WIDTH ? 'listDay' : 'practitionerDay';
}

/** `/calendar`: every physiotherapist's day or week; book, move and mark appointments. */
export function CalendarPage() {
  const { t, locale } = useI18n();
  const { user } = useSession();
  useDocumentTitle(t('calendar.title'));
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const data = useCalendarData({
    requestedPractitionerId: search.practitionerId,
    patientId: search.patientId,
  });
  const { practitioners: everyone, shownPractitioners, patient, showRange } = data;
  // Where the calendar opens; afterwards FullCalendar owns the date and the URL only follows it.
  const [opening] = useState(() => ({ date: search.date, view: search.view ?? openingView(window.innerWidth) }));
  const [showCancelled, setShowCancelled] = useState(false);
  const [booking, setBooking] = useState<BookingDraft | null>(null);
  // The moment the dialog opened decides whether the appointment has started.
  const [opened, setOpened] = useState<{ appointment: Appointment; now: Date } | null>(null);
  const [slotsDialog, setSlotsDialog] = useState<{ from: string; to: string } | null>(null);
  const [notice, setNotice] = useState<CalendarNotice | null>(null);
  const [question, setQuestion] = useState<MoveQuestion | null>(null);
  const onMove = useAppointmentMove(setNotice, data.refresh, setQuestion);

  const types = useMemo(() => data.types ?? [], [data.types]);
  const loaded = useMemo(() => data.appointments ?? [], [data.appointments]);
  const events = useMemo(
    () =>
      toEvents(visibleAppointments(loaded, data.shown, showCancelled), everyone, types, locale, {
        emptySlot: t('calendar.emptySlot'),
        block: t('calendar.block'),
        noShow: t('appointments.status.no_show'),
        cancelled: t('appointments.status.cancelled'),
        arrived: t('appointments.status.arrived'),
      }),
    [loaded, data.shown, showCancelled, everyone, types, locale, t],
  );

  const viewLabels = {
    today: t('calendar.view.today'),
    day: t('calendar.view.day'),
    week: t('calendar.view.week'),
    month: t('calendar.view.month'),
    columns: t('calendar.view.columns'),
    list: t('calendar.view.list'),
    listEmpty: t('calendar.view.listEmpty'),
  };
  const hiddenDays = useMemo(
    () => hiddenWeekendDays(data.hoursComplete ? data.workingHours : null, loaded.map((a) => a.startsAt)),
    [data.hoursComplete, data.workingHours, loaded],
  );

  const onRangeChange = useCallback(
    (next: VisibleRange) => {
      showRange(next);
      // The address follows the calendar; the page stays where it is (the router would scroll
      // to the top on every change, undoing the scroll to the current time).
      void navigate({
        search: (previous) => ({ ...previous, date: localIsoDate(next.date), view: next.view }),
        replace: true,
        resetScroll: false,
      });
    },
    [navigate, showRange],
  );

  const onlyOneShown = shownPractitioners.length === 1 ? shownPractitioners[0]?.id : undefined;

  // A booking needs the practitioners and the types: until both are in, the calendar does not
  // offer one (a dialog opened earlier had empty lists and could not be fixed from inside).
  const canBook = data.setupReady;
  // The week itself must be in before a time is picked: a free-looking grid may not be free.
  const canPick = canBook && (data.week === 'ready' || data.week === 'stale');

  const openBooking = (start: Date, end: Date, allDay: boolean, inColumnOf?: string) => {
    if (!canBook) return;
    const picked = patient ? { id: patient.id, fullName: patient.fullName } : null;
    setNotice(null);
    const practitionerId = inColumnOf ?? onlyOneShown ?? '';
    setBooking(newDraft({ start, end, allDay, practitionerId, patient: picked, types }));
  };

  const done = (text: string) => {
    setBooking(null);
    setOpened(null);
    setSlotsDialog(null);
    setNotice({ tone: 'success', text });
    void data.refresh();
  };

  /** `?patientId=`: book for this patient (the banner, and the next slot clicked), or nobody. */
  const bookFor = (patientId: string | undefined, replace = false) =>
    void navigate({ search: (previous) => ({ ...previous, patientId }), replace, resetScroll: false });

  // "Reservando para …" was for this booking: the next slot clicked starts with nobody, and
  // another appointment for the same patient is one explicit click away.
  const booked = (text: string, bookedFor: PickedPatient | null) => {
    done(text);
    if (search.patientId) bookFor(undefined, true);
    if (!bookedFor) return;
    const again = () => {
      setNotice(null);
      bookFor(bookedFor.id);
    };
    setNotice({
      tone: 'success',
      text,
      action: { label: t('calendar.bookAgainFor', { name: bookedFor.fullName }), run: again },
    });
  };

  const openSlotsDialog = () => {
    // The visible range ends at the midnight after its last day.
    const start = data.range?.start ?? new Date();
    const end = addDays(data.range?.end ?? start, -1);
    setSlotsDialog({ from: localIsoDate(start), to: localIsoDate(end < start ? start : end) });
  };

  const newAppointmentAt = () => {
    const start = nextFullHour(new Date());
    openBooking(start, start, false);
  };

  if (data.setupError) return <Alert>{errorMessage(data.setupError, t)}</Alert>;

  return (
    <section aria-labelledby="calendar-title" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 id="calendar-title" className="text-2xl font-semibold">
          {t('calendar.title')}
        </h1>
        <div className="flex flex-wrap gap-2">
          <Link
            to="/calendar/day-list"
            search={{ date: search.date, practitionerId: onlyOneShown }}
            className={secondaryButton}
          >
            {t('calendar.dayList.link')}
          </Link>
          <button type="button" className={secondaryButton} disabled={!canBook} onClick={openSlotsDialog}>
            {t('calendar.emptySlotsTitle')}
          </button>
          <button type="button" className={primaryButton} disabled={!canBook} onClick={newAppointmentAt}>
            {t('calendar.newAppointment')}
          </button>
        </div>
      </div>
      {patient && (
        <Alert tone="info">
          {t('calendar.bookingFor', { name: patient.fullName })}{' '}
          <button type="button" className={linkClass} onClick={() => bookFor(undefined)}>
            {t('calendar.stopBookingFor')}
          </button>
        </Alert>
      )}
      <PractitionerFilter
        practitioners={everyone}
        shown={data.shown}
        onToggle={data.togglePractitioner}
        showCancelled={showCancelled}
        onShowCancelled={setShowCancelled}
      />
      {/* The last change's message floats at the bottom of the screen, where the user is looking
          after a drag however far down the day it was (with "Deshacer" after a move). */}
      <div aria-live="polite" className="calendar-toast fixed right-4 bottom-4 z-30 flex max-w-md flex-col gap-2 shadow-lg">
        {notice && (
          <Alert tone={notice.tone}>
            <div className="flex items-start gap-3">
              <div>
                {notice.text}
                {notice.tone === 'error' && notice.clashes && notice.clashes.length > 0 && (
                  <ClashList clashes={notice.clashes} loaded={loaded} />
                )}
                {notice.action && (
                  <>
                    {' '}
                    <button type="button" className={`${linkClass} font-semibold`} onClick={notice.action.run}>
                      {notice.action.label}
                    </button>
                  </>
                )}
              </div>
              <button
                type="button"
                className="ml-auto rounded px-1 leading-none"
                aria-label={t('common.close')}
                onClick={() => setNotice(null)}
              >
                ×
              </button>
            </div>
          </Alert>
        )}
      </div>
      <div aria-live="polite">
        {data.week === 'stale' && (
          <Alert>
            {t('calendar.refreshFailed')}{' '}
            <button type="button" className={linkClass} onClick={() => void data.retryWeek()}>
              {t('common.retry')}
            </button>
          </Alert>
        )}
      </div>
      <WeekStatus
        week={data.week}
        setupReady={canBook}
        error={data.appointmentsError}
        retrying={data.weekFetching}
        onRetry={() => void data.retryWeek()}
      >
        <CalendarView
          locale={locale}
          labels={viewLabels}
          initialDate={opening.date}
          initialView={opening.view}
          events={events}
          businessHours={data.businessHours}
          practitioners={shownPractitioners}
          hours={data.workingHours}
          hiddenDays={hiddenDays}
          bookWithLabel={(name) => t('calendar.columns.bookWith', { name })}
          bookLabel={t('calendar.book')}
          columnsLabel={t('calendar.columns.label')}
          nobodyShown={t('calendar.columns.nobody')}
          onRangeChange={onRangeChange}
          selectable={canPick}
          onSelect={openBooking}
          onOpen={(appointment) => {
            setNotice(null);
            setOpened({ appointment, now: new Date() });
          }}
          onMove={onMove}
        />
      </WeekStatus>
      {question && (
        <MoveConfirm question={question} practitioners={everyone} />
      )}
      {booking && (
        <BookingDialog
          initial={booking}
          practitioners={everyone}
          types={types}
          loaded={loaded}
          onClose={() => setBooking(null)}
          onBooked={booked}
        />
      )}
      {opened && (
        <AppointmentDialog
          appointment={opened.appointment}
          practitioners={everyone}
          types={types}
          loaded={loaded}
          now={opened.now}
          onClose={() => setOpened(null)}
          onChanged={done}
          canInvoice={canBill(user)}
          canWriteNote={writesNotes(user)}
        />
      )}
      {slotsDialog && (
        <EmptySlotsDialog
          practitioners={everyone}
          initial={{
            practitionerId: onlyOneShown ?? '',
            ...slotsDialog,
          }}
          onClose={() => setSlotsDialog(null)}
          onCreated={done}
        />
      )}
    </section>
  );
}
