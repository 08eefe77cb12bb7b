import { keepPreviousData, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useCallback, useMemo, useState } from 'react';
import {
  type Appointment,
  clashesOf,
  editable,
  getWorkingHours,
  listAppointmentsBetween,
  listPractitioners,
  updateAppointment,
  type WorkingHours,
} from '../../api/appointments';
import { getPatient } from '../../api/patients';
import { errorMessage, toApiError } from '../../api/problem';
import { useSession } from '../../auth/SessionContext';
import { hasRole } from '../../auth/types';
import { Alert } from '../../components/Alert';
import { linkClass, primaryButton, secondaryButton } from '../../components/styles';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useI18n } from '../../i18n/useI18n';
import { appointmentTypesQuery } from '../appointments/appointmentTypes';
import { AppointmentDialog } from './AppointmentDialog';
import { BookingDialog } from './BookingDialog';
import { type BookingDraft, newDraft } from './bookingDraft';
import { CalendarView, type VisibleRange } from './CalendarView';
import './calendar.css';
import { ClashList } from './ClashList';
import {
  businessHours,
  initiallyShown,
  localDate,
  toEvents,
  visibleAppointments,
} from './calendarEvents';
import { EmptySlotsDialog } from './EmptySlotsDialog';
import { PractitionerFilter } from './PractitionerFilter';

const route = getRouteApi('/app/calendar');

// Others book too: refresh what is on screen now and then.
const REFRESH_MS = 30_000;

// Module-level, so useQueries recomputes the shading only when the hours change.
function shadingOf(results: readonly { data?: WorkingHours | undefined }[]) {
  return businessHours(results.flatMap((result) => (result.data ? [result.data] : [])));
}

type Notice =
  | { tone: 'success'; text: string }
  | { tone: 'error'; text: string; clashes?: ReturnType<typeof clashesOf> };

/** `/calendar`: every physiotherapist's week; book, move and mark appointments. */
export function CalendarPage() {
  const { t, locale } = useI18n();
  useDocumentTitle(t('calendar.title'));
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const queryClient = useQueryClient();
  const { user } = useSession();
  const [range, setRange] = useState<VisibleRange | null>(null);
  // Where the calendar opens; afterwards FullCalendar owns the date and the URL only follows it.
  const [opening] = useState(() => ({ date: search.date, view: search.view ?? 'timeGridWeek' }));
  const [hidden, setHidden] = useState<Set<string> | null>(null);
  const [showCancelled, setShowCancelled] = useState(false);
  const [booking, setBooking] = useState<BookingDraft | null>(null);
  // The moment the dialog opened decides whether the appointment has started.
  const [opened, setOpened] = useState<{ appointment: Appointment; now: Date } | null>(null);
  const [slotsDialog, setSlotsDialog] = useState<{ from: string; to: string } | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const practitioners = useQuery({ queryKey: ['practitioners'], queryFn: listPractitioners });
  const types = useQuery(appointmentTypesQuery);
  const patient = useQuery({
    queryKey: ['patients', search.patientId],
    queryFn: () => getPatient(search.patientId ?? ''),
    enabled: !!search.patientId,
  });
  const appointments = useQuery({
    queryKey: ['appointments', 'range', range?.start.toISOString(), range?.end.toISOString()],
    queryFn: () => listAppointmentsBetween(range!.start.toISOString(), range!.end.toISOString()),
    enabled: range !== null,
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
  });

  const everyone = useMemo(() => practitioners.data ?? [], [practitioners.data]);
  const ownId =
    user && hasRole(user, 'ROLE_PRACTITIONER') && !hasRole(user, 'ROLE_ADMIN') && !hasRole(user, 'ROLE_RECEPTIONIST')
      ? user.id
      : undefined;
  // Who is shown: at first a physiotherapist sees their own column, the front desk everyone.
  const shown = useMemo(() => {
    if (hidden === null) return initiallyShown(everyone, { requested: search.practitionerId, ownId });
    return new Set(everyone.map((p) => p.id).filter((id) => !hidden.has(id)));
  }, [everyone, hidden, search.practitionerId, ownId]);
  const shownPractitioners = everyone.filter((p) => shown.has(p.id));

  const shading = useQueries({
    queries: shownPractitioners.map((p) => ({
      queryKey: ['working-hours', p.id],
      queryFn: () => getWorkingHours(p.id),
      staleTime: 5 * 60_000,
    })),
    combine: shadingOf,
  });

  const loaded = useMemo(() => appointments.data ?? [], [appointments.data]);
  const events = useMemo(
    () =>
      toEvents(visibleAppointments(loaded, shown, showCancelled), everyone, types.data ?? [], locale, {
        emptySlot: t('calendar.emptySlot'),
        block: t('calendar.block'),
      }),
    [loaded, shown, showCancelled, everyone, types.data, locale, t],
  );

  const viewLabels = {
    today: t('calendar.view.today'),
    day: t('calendar.view.day'),
    week: t('calendar.view.week'),
    month: t('calendar.view.month'),
  };

  const refresh = useCallback(
    () => queryClient.invalidateQueries({ queryKey: ['appointments'] }),
    [queryClient],
  );

  const onRangeChange = useCallback(
    (next: VisibleRange) => {
      setRange((current) =>
        current &&
        current.start.getTime() === next.start.getTime() &&
        current.end.getTime() === next.end.getTime() &&
        current.view === next.view
          ? current
          : next,
      );
      void navigate({
        search: (previous) => ({ ...previous, date: localDate(next.date), view: next.view }),
        replace: true,
      });
    },
    [navigate],
  );

  const openBooking = (start: Date, end: Date, allDay: boolean) => {
    const onlyOne = shownPractitioners.length === 1 ? shownPractitioners[0]?.id : undefined;
    const picked = patient.data ? { id: patient.data.data.id, fullName: patient.data.data.fullName } : null;
    setNotice(null);
    setBooking(
      newDraft({ start, end, allDay, practitionerId: onlyOne ?? '', patient: picked, types: types.data ?? [] }),
    );
  };

  const onMove = (appointment: Appointment, start: Date, end: Date, revert: () => void) => {
    setNotice(null);
    const body = { ...editable(appointment), startsAt: start.toISOString(), endsAt: end.toISOString() };
    updateAppointment(appointment.id, body, `"${appointment.version}"`).then(
      () => {
        setNotice({ tone: 'success', text: t('calendar.moved') });
        void refresh();
      },
      (error: unknown) => {
        revert();
        const apiError = toApiError(error);
        if (apiError.status === 409) {
          setNotice({ tone: 'error', text: t('calendar.moveClash'), clashes: clashesOf(error) });
        } else if (apiError.status === 412) {
          setNotice({ tone: 'error', text: t('calendar.stale') });
          void refresh();
        } else {
          setNotice({ tone: 'error', text: errorMessage(error, t) });
        }
      },
    );
  };

  const done = (text: string) => {
    setBooking(null);
    setOpened(null);
    setSlotsDialog(null);
    setNotice({ tone: 'success', text });
    void refresh();
  };

  const togglePractitioner = (id: string) => {
    const next = new Set(everyone.map((p) => p.id).filter((pid) => !shown.has(pid)));
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setHidden(next);
  };

  const openSlotsDialog = () => {
    const start = range?.start ?? new Date();
    const end = new Date((range?.end ?? start).getTime() - 86_400_000);
    setSlotsDialog({ from: localDate(start), to: localDate(end < start ? start : end) });
  };

  const newAppointmentAt = () => {
    const start = new Date();
    start.setMinutes(0, 0, 0);
    start.setHours(start.getHours() + 1);
    openBooking(start, start, false);
  };

  if (practitioners.isError || types.isError) {
    return <Alert>{errorMessage(practitioners.error ?? types.error, t)}</Alert>;
  }

  return (
    <section aria-labelledby="calendar-title" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 id="calendar-title" className="text-2xl font-semibold">
          {t('calendar.title')}
        </h1>
        <div className="flex flex-wrap gap-2">
          <button type="button" className={secondaryButton} onClick={openSlotsDialog}>
            {t('calendar.emptySlotsTitle')}
          </button>
          <button type="button" className={primaryButton} onClick={newAppointmentAt}>
            {t('calendar.newAppointment')}
          </button>
        </div>
      </div>
      {patient.data && (
        <Alert tone="info">
          {t('calendar.bookingFor', { name: patient.data.data.fullName })}{' '}
          <button
            type="button"
            className={linkClass}
            onClick={() => void navigate({ search: (previous) => ({ ...previous, patientId: undefined }) })}
          >
            {t('calendar.stopBookingFor')}
          </button>
        </Alert>
      )}
      <PractitionerFilter
        practitioners={everyone}
        shown={shown}
        onToggle={togglePractitioner}
        showCancelled={showCancelled}
        onShowCancelled={setShowCancelled}
      />
      <div aria-live="polite">
        {notice && (
          <Alert tone={notice.tone}>
            {notice.text}
            {notice.tone === 'error' && notice.clashes && notice.clashes.length > 0 && (
              <ClashList clashes={notice.clashes} loaded={loaded} />
            )}
          </Alert>
        )}
        {appointments.isError && <Alert>{errorMessage(appointments.error, t)}</Alert>}
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-2 shadow-sm" data-testid="calendar">
        <CalendarView
          locale={locale}
          labels={viewLabels}
          initialDate={opening.date}
          initialView={opening.view}
          events={events}
          businessHours={shading}
          onRangeChange={onRangeChange}
          onSelect={openBooking}
          onOpen={(appointment) => {
            setNotice(null);
            setOpened({ appointment, now: new Date() });
          }}
          onMove={onMove}
        />
      </div>
      {booking && (
        <BookingDialog
          initial={booking}
          practitioners={everyone}
          types={types.data ?? []}
          loaded={loaded}
          onClose={() => setBooking(null)}
          onBooked={done}
        />
      )}
      {opened && (
        <AppointmentDialog
          appointment={opened.appointment}
          practitioners={everyone}
          types={types.data ?? []}
          loaded={loaded}
          now={opened.now}
          onClose={() => setOpened(null)}
          onChanged={done}
        />
      )}
      {slotsDialog && (
        <EmptySlotsDialog
          practitioners={everyone}
          initial={{
            practitionerId: shownPractitioners.length === 1 ? (shownPractitioners[0]?.id ?? '') : '',
            ...slotsDialog,
          }}
          onClose={() => setSlotsDialog(null)}
          onCreated={done}
        />
      )}
    </section>
  );
}
