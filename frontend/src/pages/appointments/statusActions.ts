import type { Appointment, AppointmentStatus } from '../../api/appointments';

/** How early a patient may be marked arrived (scheduling's EARLY_ARRIVAL: one hour). */
export const EARLY_ARRIVAL_MS = 60 * 60 * 1000;

/** Whether the patient of `appointment` may be marked arrived at `now`. */
export function canMarkArrived(appointment: Appointment, now: Date): boolean {
  if (appointment.kind !== 'appointment') return false;
  if (appointment.status !== 'scheduled' && appointment.status !== 'no_show') return false;
  return Date.parse(appointment.startsAt) - EARLY_ARRIVAL_MS <= now.getTime();
}

/** Whether a completed or no-show mark may be recorded at `now` (the visit has started). */
export function hasStarted(appointment: Appointment, now: Date): boolean {
  return Date.parse(appointment.startsAt) <= now.getTime();
}

/**
 * The statuses a row of today's list offers, as scheduling's transition table allows them:
 * arrived (from an hour before), then completed; no-show once started and nobody came.
 */
export function rowActions(appointment: Appointment, now: Date): AppointmentStatus[] {
  if (appointment.kind !== 'appointment') return [];
  const started = hasStarted(appointment, now);
  switch (appointment.status) {
    case 'scheduled':
      return [
        ...(canMarkArrived(appointment, now) ? (['arrived'] as const) : []),
        ...(started ? (['completed', 'no_show'] as const) : []),
      ];
    case 'arrived':
      return started ? ['completed'] : [];
    case 'no_show':
      return ['arrived'];
    default:
      return [];
  }
}
