import { useCallback } from 'react';
import {
  type Appointment,
  type AppointmentUpdate,
  type Clash,
  clashesOf,
  editable,
  outsideHoursOf,
  updateAppointment,
} from '../../api/appointments';
import { errorMessage, toApiError } from '../../api/problem';
import type { Translate } from '../../i18n/i18n';
import { useI18n } from '../../i18n/useI18n';

/** A button the notice offers: "move it anyway", "another appointment for …". */
export interface NoticeAction {
  label: string;
  run: () => void;
}

/** The message above the calendar: what happened to the last change. */
export type CalendarNotice =
  | { tone: 'success'; text: string; action?: NoticeAction }
  | { tone: 'error'; text: string; clashes?: Clash[]; action?: NoticeAction };

interface MoveContext {
  notify: (notice: CalendarNotice | null) => void;
  refresh: () => Promise<unknown>;
  t: Translate;
}

/** Where a drag puts an appointment: new times, and maybe another physiotherapist's column. */
export interface MoveTarget {
  start: Date;
  end: Date;
  /** The column's physiotherapist (the day view by columns); unchanged when absent. */
  practitionerId?: string;
}

/** A move to another day or physiotherapist, waiting for "¿Mover la cita?". */
export interface MoveQuestion {
  appointment: Appointment;
  target: MoveTarget;
  proceed: () => void;
  cancel: () => void;
}

/** Whether a move changes the local day or the physiotherapist (then the user is asked first). */
export function movesFar(appointment: Appointment, target: MoveTarget): boolean {
  const before = new Date(appointment.startsAt);
  const sameDay =
    before.getFullYear() === target.start.getFullYear() &&
    before.getMonth() === target.start.getMonth() &&
    before.getDate() === target.start.getDate();
  const samePractitioner = !target.practitionerId || target.practitionerId === appointment.practitionerId;
  return !sameDay || !samePractitioner;
}

/** PUT `appointment` back where it was before a move ("Deshacer"), with the moved one's ETag. */
function undoMove(context: MoveContext, before: Appointment, moved: Appointment, etag: string): void {
  const { notify, refresh, t } = context;
  notify(null);
  const body: AppointmentUpdate = {
    ...editable(moved),
    practitionerId: before.practitionerId,
    startsAt: before.startsAt,
    endsAt: before.endsAt,
    // It was there a moment ago: putting it back is deliberate even outside today's hours.
    allowOutsideHours: true,
  };
  updateAppointment(moved.id, body, etag).then(
    () => {
      notify({ tone: 'success', text: t('calendar.undone') });
      void refresh();
    },
    (error: unknown) => {
      const apiError = toApiError(error);
      if (apiError.status === 409) {
        notify({ tone: 'error', text: t('calendar.moveClash'), clashes: clashesOf(error) });
      } else if (apiError.status === 412) {
        notify({ tone: 'error', text: t('calendar.stale') });
      } else {
        notify({ tone: 'error', text: errorMessage(error, t) });
      }
      void refresh();
    },
  );
}

/** PUT the new times; on failure put the event back and say why (offering "move it anyway"). */
function sendMove(
  context: MoveContext,
  appointment: Appointment,
  times: MoveTarget,
  revert: () => void,
  allowOutsideHours: boolean,
): void {
  const { notify, refresh, t } = context;
  notify(null);
  const body: AppointmentUpdate = {
    ...editable(appointment),
    startsAt: times.start.toISOString(),
    endsAt: times.end.toISOString(),
  };
  if (times.practitionerId) body.practitionerId = times.practitionerId;
  if (allowOutsideHours) body.allowOutsideHours = true;
  updateAppointment(appointment.id, body, `"${appointment.version}"`).then(
    (moved) => {
      const undo = () => undoMove(context, appointment, moved.data, moved.etag);
      notify({ tone: 'success', text: t('calendar.moved'), action: { label: t('calendar.undo'), run: undo } });
      void refresh();
    },
    (error: unknown) => {
      revert();
      const apiError = toApiError(error);
      if (apiError.status === 409) {
        notify({ tone: 'error', text: t('calendar.moveClash'), clashes: clashesOf(error) });
      } else if (apiError.status === 412) {
        notify({ tone: 'error', text: t('calendar.stale') });
        void refresh();
      } else if (outsideHoursOf(error)) {
        // Put back already: "move it anyway" sends the same move again, saying it is deliberate.
        const anyway = () => sendMove(context, appointment, times, () => undefined, true);
        const action = { label: t('calendar.outsideHours.move'), run: anyway };
        notify({ tone: 'error', text: t('calendar.outsideHours.moveQuestion'), action });
      } else {
        notify({ tone: 'error', text: errorMessage(error, t) });
      }
    },
  );
}

/**
 * Dragging or resizing an appointment: PUT its new times with If-Match, then offer "Deshacer"
 * (the old times and physiotherapist, with the new ETag). A move to another day or another
 * physiotherapist is asked first (`ask`) and put back when the user says no. A 409 puts the event
 * back and names the clash; a 412 (changed by someone else meanwhile) puts it back and reloads;
 * a time outside the working hours puts it back and offers to move it there anyway.
 */
export function useAppointmentMove(
  notify: (notice: CalendarNotice | null) => void,
  refresh: () => Promise<unknown>,
  ask?: (question: MoveQuestion | null) => void,
) {
  const { t } = useI18n();
  return useCallback(
    (appointment: Appointment, target: MoveTarget, revert: () => void) => {
      const send = () => sendMove({ notify, refresh, t }, appointment, target, revert, false);
      if (!ask || !movesFar(appointment, target)) return send();
      ask({
        appointment,
        target,
        proceed: () => {
          ask(null);
          send();
        },
        cancel: () => {
          ask(null);
          revert();
        },
      });
    },
    [notify, refresh, t, ask],
  );
}
