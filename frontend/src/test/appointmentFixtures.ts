import type { Appointment, AppointmentType } from '../api/appointments';
import type { FakeReply } from './fakeServer';

/** An appointment as the scheduling API answers it (times in UTC). */
export function appointmentRecord(overrides: Partial<Appointment> = {}): Appointment {
  return {
    id: 'a-1',
    practitionerId: 'u-laura',
    practitionerName: 'Laura Martínez',
    patientId: 'p-jose',
    patientName: 'José García Núñez',
    kind: 'appointment',
    type: 'follow_up',
    status: 'scheduled',
    startsAt: '2026-12-03T09:00:00Z',
    endsAt: '2026-12-03T09:45:00Z',
    title: null,
    notes: null,
    seriesId: null,
    version: 1,
    cancellationReason: null,
    ...overrides,
  };
}

/** Two of the seeded appointment types, as `GET /api/appointment-types` lists them. */
export const appointmentTypes: AppointmentType[] = [
  {
    code: 'first_visit',
    nameEs: 'Valoración inicial',
    nameEn: 'Initial assessment',
    durationMinutes: 60,
    color: '#0f766e',
    active: true,
    version: 1,
  },
  {
    code: 'follow_up',
    nameEs: 'Sesión de fisioterapia',
    nameEn: 'Physiotherapy session',
    durationMinutes: 45,
    color: '#2563eb',
    active: true,
    version: 1,
  },
];

export const appointmentTypesReply: FakeReply = {
  status: 200,
  body: { member: appointmentTypes },
};

/** A page of the paged appointments collection (`next` when another page exists). */
export function appointmentPage(member: Appointment[], next = false): FakeReply {
  return {
    status: 200,
    body: {
      member,
      view: { first: '/api/appointments?page=1', ...(next ? { next: '/api/appointments?page=2' } : {}) },
    },
  };
}
