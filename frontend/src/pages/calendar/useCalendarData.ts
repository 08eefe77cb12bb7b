import { keepPreviousData, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import {
  getWorkingHours,
  listAppointmentsBetween,
  listPractitioners,
  type WorkingHours,
} from '../../api/appointments';
import { getPatient } from '../../api/patients';
import {
  appointmentKeys,
  patientKeys,
  practitionerKeys,
  workingHoursKeys,
} from '../../api/queryKeys';
import { useSession } from '../../auth/SessionContext';
import { isPractitionerOnly } from '../../auth/types';
import { appointmentTypesQuery } from '../appointments/appointmentTypes';
import { businessHours, initiallyShown } from './calendarEvents';
import type { VisibleRange } from './CalendarView';

// Others book too: refresh what is on screen now and then.
const REFRESH_MS = 30_000;
// Working hours change seldom; the shading may lag a few minutes behind an edit.
const HOURS_STALE_MS = 5 * 60_000;

/**
 * The state of the visible range's appointments: `loading` until they are in (or the previous
 * range's, kept while the next loads, are still what is drawn), `error` when they could not be
 * read at all (an empty grid would look like a free week), `stale` when only a refresh failed
 * (what is drawn is that range's, maybe old), else `ready`.
 */
export type WeekState = 'loading' | 'error' | 'stale' | 'ready';

export function weekStateOf(query: { data: unknown; isPlaceholderData: boolean; isError: boolean }): WeekState {
  if (query.data !== undefined && !query.isPlaceholderData) return query.isError ? 'stale' : 'ready';
  // A retry after an error stays `error` (with `isFetching`), so "Reintentar" keeps its place.
  return query.isError ? 'error' : 'loading';
}

// Module-level, so useQueries recomputes the shading only when the hours change.
// `hours` is null until every shown practitioner's hours are in (weekends stay until then).
function shadingOf(results: readonly { data?: WorkingHours | undefined }[]) {
  const hours = results.flatMap((result) => (result.data ? [result.data] : []));
  return { shading: businessHours(hours), hours, complete: hours.length === results.length };
}

interface CalendarDataOptions {
  /** `?practitionerId=`: show only this physiotherapist at first. */
  requestedPractitionerId: string | undefined;
  /** `?patientId=`: the patient the front desk is booking for. */
  patientId: string | undefined;
}

/**
 * What the calendar shows: the appointments of the visible range (refreshed every 30 s), the
 * practitioners and who of them is shown, the appointment types, the shown practitioners'
 * working hours as shading, and the patient being booked for.
 */
export function useCalendarData({ requestedPractitionerId, patientId }: CalendarDataOptions) {
  const queryClient = useQueryClient();
  const { user } = useSession();
  const [range, setRange] = useState<VisibleRange | null>(null);
  const [hidden, setHidden] = useState<Set<string> | null>(null);

  const practitioners = useQuery({ queryKey: practitionerKeys.all, queryFn: listPractitioners });
  const types = useQuery(appointmentTypesQuery);
  const patient = useQuery({
    queryKey: patientKeys.detail(patientId ?? ''),
    queryFn: () => getPatient(patientId ?? ''),
    enabled: !!patientId,
  });
  const start = range?.start.toISOString();
  const end = range?.end.toISOString();
  const appointments = useQuery({
    queryKey: appointmentKeys.range(start, end),
    queryFn: () => listAppointmentsBetween(start!, end!),
    enabled: range !== null,
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
  });

  const everyone = useMemo(() => practitioners.data ?? [], [practitioners.data]);
  // A physiotherapist starts with their own column, the front desk with everyone.
  const ownId = user && isPractitionerOnly(user) ? user.id : undefined;
  const shown = useMemo(() => {
    if (hidden === null) {
      return initiallyShown(everyone, { requested: requestedPractitionerId, ownId });
    }
    return new Set(everyone.map((p) => p.id).filter((id) => !hidden.has(id)));
  }, [everyone, hidden, requestedPractitionerId, ownId]);
  const shownPractitioners = everyone.filter((p) => shown.has(p.id));

  const workingHours = useQueries({
    queries: shownPractitioners.map((p) => ({
      queryKey: workingHoursKeys.of(p.id),
      queryFn: () => getWorkingHours(p.id),
      staleTime: HOURS_STALE_MS,
    })),
    combine: shadingOf,
  });

  // FullCalendar may report the range it already showed: keeping the same object refetches nothing.
  const showRange = useCallback((next: VisibleRange) => {
    setRange((current) =>
      current &&
      current.start.getTime() === next.start.getTime() &&
      current.end.getTime() === next.end.getTime() &&
      current.view === next.view
        ? current
        : next,
    );
  }, []);

  const togglePractitioner = (id: string) => {
    const next = new Set(everyone.map((p) => p.id).filter((pid) => !shown.has(pid)));
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setHidden(next);
  };

  const refresh = useCallback(
    () => queryClient.invalidateQueries({ queryKey: appointmentKeys.all }),
    [queryClient],
  );

  return {
    range,
    showRange,
    practitioners: everyone,
    shown,
    shownPractitioners,
    togglePractitioner,
    types: types.data,
    patient: patient.data?.data ?? null,
    appointments: appointments.data,
    appointmentsError: appointments.isError ? appointments.error : null,
    week: range === null ? ('loading' as const) : weekStateOf(appointments),
    retryWeek: appointments.refetch,
    weekFetching: appointments.isFetching,
    /** Practitioners and types are in: a booking may start (its dialog needs both). */
    setupReady: practitioners.isSuccess && types.isSuccess,
    /** The practitioners or the types could not be read: the calendar cannot be drawn. */
    setupError: practitioners.error ?? types.error,
    businessHours: workingHours.shading,
    /** The shown practitioners' weekly hours; `hoursComplete` once every one of them is in. */
    workingHours: workingHours.hours,
    hoursComplete: workingHours.complete,
    refresh,
  };
}
