import { useCallback } from 'react';
import {
  type Appointment,
  type Clash,
  clashesOf,
  editable,
  updateAppointment,
} from '../../api/appointments';
import { errorMessage, toApiError } from '../../api/problem';
import { useI18n } from '../../i18n/useI18n';

/** The message above the calendar: what happened to the last change. */
export type CalendarNotice =
  | { tone: 'success'; text: string }
  | { tone: 'error'; text: string; clashes?: Clash[] };

/**
 * Dragging or resizing an appointment: PUT its new times with If-Match. A 409 puts the event back
 * and names the clash; a 412 (changed by someone else meanwhile) puts it back and reloads.
 */
export function useAppointmentMove(
  notify: (notice: CalendarNotice | null) => void,
  refresh: () => Promise<unknown>,
) {
  const { t } = useI18n();
  return useCallback(
    (appointment: Appointment, start: Date, end: Date, revert: () => void) => {
      notify(null);
      const startsAt = start.toISOString();
      const body = { ...editable(appointment), startsAt, endsAt: end.toISOString() };
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
          } else {
            notify({ tone: 'error', text: errorMessage(error, t) });
          }
        },
      );
    },
    [notify, refresh, t],
  );
}
