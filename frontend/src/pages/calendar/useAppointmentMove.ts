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

/** PUT the new times; on failure put the event back and say why (offering "move it anyway"). */
function sendMove(
  context: MoveContext,
  appointment: Appointment,
  times: { start: Date; end: Date },
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
  if (allowOutsideHours) body.allowOutsideHours = true;
  updateAppointment(appointment.id, body, `"${appointment.version}"`).then(
    () => {
      notify({ tone: 'success', text: t('calendar.moved') });
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
 * Dragging or resizing an appointment: PUT its new times with If-Match. A 409 puts the event back
 * and names the clash; a 412 (changed by someone else meanwhile) puts it back and reloads; a time
 * outside the working hours puts it back and offers to move it there anyway.
 */
export function useAppointmentMove(
  notify: (notice: CalendarNotice | null) => void,
  refresh: () => Promise<unknown>,
) {
  const { t } = useI18n();
  return useCallback(
    (appointment: Appointment, start: Date, end: Date, revert: () => void) =>
      sendMove({ notify, refresh, t }, appointment, { start, end }, revert, false),
    [notify, refresh, t],
  );
}
