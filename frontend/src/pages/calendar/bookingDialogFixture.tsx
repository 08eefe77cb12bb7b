import userEvent from '@testing-library/user-event';
import { vi } from 'vitest';
import type { Appointment, Practitioner } from '../../api/appointments';
import { appointmentTypes } from '../../test/appointmentFixtures';
import type { FakeServer } from '../../test/fakeServer';
import { renderDialog } from '../../test/renderDialog';
import { BookingDialog } from './BookingDialog';
import type { BookingDraft } from './bookingDraft';
import type { PickedPatient } from './PatientPicker';

// What the booking dialog's tests share (they were three copies): the people, a draft as a click
// on the calendar makes it, and the dialog opened over a fake server with spies for its callbacks.
// The tests pin the clinic's zone themselves (`inTimeZone`), before anything renders.

export const laura: Practitioner = { id: 'u-laura', fullName: 'Laura Martínez', color: '#2563eb' };
export const pablo: Practitioner = { id: 'u-pablo', fullName: 'Pablo Ruiz', color: null };
export const jose: PickedPatient = { id: 'p-jose', fullName: 'José García Núñez' };

/** A click on Laura's column on Thursday 3 December 2026 at 10:00, nobody picked yet. */
export function bookingDraft(overrides: Partial<BookingDraft> = {}): BookingDraft {
  return {
    kind: 'appointment',
    patient: null,
    practitionerId: laura.id,
    type: 'follow_up',
    title: '',
    start: '2026-12-03T10:00',
    duration: 45,
    notes: '',
    repeat: false,
    weekdays: [3],
    weekdaysChosen: false,
    count: 10,
    ...overrides,
  };
}

interface OpenOptions {
  /** The appointments on screen (a 409's clashes are named from them). */
  loaded?: Appointment[];
  practitioners?: Practitioner[];
}

/** The booking dialog for `initial`, on screen; its callbacks are spies. */
export async function openBookingDialog(server: FakeServer, initial: BookingDraft, options: OpenOptions = {}) {
  const onBooked = vi.fn<(summary: string, patient: PickedPatient | null) => void>();
  const onClose = vi.fn<() => void>();
  await renderDialog(
    server,
    <BookingDialog
      initial={initial}
      practitioners={options.practitioners ?? [laura, pablo]}
      types={appointmentTypes}
      loaded={options.loaded ?? []}
      onClose={() => onClose()}
      onBooked={(summary, patient) => onBooked(summary, patient)}
    />,
  );
  return { onBooked, onClose, user: userEvent.setup() };
}
