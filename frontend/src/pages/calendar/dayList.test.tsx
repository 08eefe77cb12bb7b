import { configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Appointment, Practitioner } from '../../api/appointments';
import type { SessionUser } from '../../auth/types';
import { setLocale } from '../../i18n/i18n';
import { appointmentRecord, appointmentTypes, appointmentTypesReply } from '../../test/appointmentFixtures';
import { FakeServer } from '../../test/fakeServer';
import { practitioner, receptionist, signedIn } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';
import { inTimeZone } from '../../test/timeZone';
import { DayList, dayListRows } from './DayList';

inTimeZone('Europe/Madrid');
beforeAll(() => {
  // The lazily loaded page can take over a second to appear on a busy two-core machine.
  configure({ asyncUtilTimeout: 5000 });
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-02T08:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

// Laura's Thursday 3 December 2026, given out of order (nothing promises the API sorts them).
const day: Appointment[] = [
  appointmentRecord({
    id: 'a-noon',
    patientName: 'Marta Sanz',
    type: 'first_visit',
    startsAt: '2026-12-03T11:00:00Z',
    endsAt: '2026-12-03T12:00:00Z',
  }),
  appointmentRecord({
    id: 'a-missed',
    patientName: 'Luis Ausente',
    status: 'no_show',
    startsAt: '2026-12-03T08:15:00Z',
    endsAt: '2026-12-03T09:00:00Z',
  }),
  appointmentRecord({
    id: 'a-block',
    kind: 'block',
    patientId: null,
    patientName: null,
    type: null,
    title: 'Reunión de equipo',
    startsAt: '2026-12-03T13:00:00Z',
    endsAt: '2026-12-03T13:30:00Z',
  }),
  appointmentRecord({
    id: 'a-cancelled',
    patientName: 'Ana Cancelada',
    status: 'cancelled',
    cancellationReason: 'late',
    startsAt: '2026-12-03T10:00:00Z',
    endsAt: '2026-12-03T10:45:00Z',
  }),
  appointmentRecord({
    id: 'a-arrived',
    patientName: 'Pedro Llegado',
    status: 'arrived',
    startsAt: '2026-12-03T12:15:00Z',
    endsAt: '2026-12-03T13:00:00Z',
  }),
  appointmentRecord({
    id: 'a-done',
    status: 'completed',
    startsAt: '2026-12-03T08:00:00Z',
    endsAt: '2026-12-03T08:15:00Z',
  }),
];

const typeName = (locale: 'es' | 'en') => (code: string | null) => {
  const found = appointmentTypes.find((type) => type.code === code);
  return found ? (locale === 'es' ? found.nameEs : found.nameEn) : (code ?? '');
};

function rows(): string[][] {
  return screen
    .queryAllByTestId('day-list-row')
    .map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent ?? ''));
}

describe('the day list', () => {
  it('puts the day in time order, with every status in words', () => {
    render(<DayList appointments={day} practitionerName="Laura Martínez" typeName={typeName('es')} labelledBy="x" />);
    expect(screen.getAllByRole('columnheader').map((th) => th.textContent)).toEqual([
      'Hora',
      'Paciente',
      'Tipo',
      'Estado',
    ]);
    expect(rows()).toEqual([
      ['9:00–9:15', 'José García Núñez', 'Sesión de fisioterapia', 'Realizada'],
      ['9:15–10:00', 'Luis Ausente', 'Sesión de fisioterapia', 'No acudió'],
      ['11:00–11:45', 'Ana Cancelada', 'Sesión de fisioterapia', 'Cancelada (cancelación tardía)'],
      ['12:00–13:00', 'Marta Sanz', 'Valoración inicial', 'Programada'],
      ['13:15–14:00', 'Pedro Llegado', 'Sesión de fisioterapia', 'Ha llegado'],
      ['14:00–14:30', 'Reunión de equipo', '', ''],
    ]);
  });

  it('reads in English', async () => {
    await setLocale('en');
    render(<DayList appointments={day} practitionerName="Laura Martínez" typeName={typeName('en')} labelledBy="x" />);
    expect(screen.getAllByRole('columnheader').map((th) => th.textContent)).toEqual([
      'Time',
      'Patient',
      'Type',
      'Status',
    ]);
    expect(rows().map((row) => row.slice(2))).toEqual([
      ['Physiotherapy session', 'Completed'],
      ['Physiotherapy session', 'No-show'],
      ['Physiotherapy session', 'Cancelled (late cancellation)'],
      ['Initial assessment', 'Scheduled'],
      ['Physiotherapy session', 'Arrived'],
      ['', ''],
    ]);
  });

  it('says so when the day is empty, in either language', async () => {
    const { unmount } = render(
      <DayList appointments={[]} practitionerName="Laura Martínez" typeName={typeName('es')} labelledBy="x" />,
    );
    expect(screen.getByText('Laura Martínez no tiene citas este día.')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    unmount();
    await setLocale('en');
    render(<DayList appointments={[]} practitionerName="Laura Martínez" typeName={typeName('en')} labelledBy="x" />);
    expect(screen.getByText('Laura Martínez has no appointments on this day.')).toBeInTheDocument();
  });

  it('keeps a booking before a block or a free slot at the same time', () => {
    const at = { startsAt: '2026-12-03T09:00:00Z', endsAt: '2026-12-03T09:45:00Z' };
    const slot = appointmentRecord({ id: 's', kind: 'empty_slot', ...at });
    const block = appointmentRecord({ id: 'b', kind: 'block', ...at });
    const booked = appointmentRecord({ id: 'a', ...at });
    expect(dayListRows([slot, block, booked]).map((a) => a.id)).toEqual(['a', 'b', 's']);
  });
});

const practitioners: Practitioner[] = [
  { id: 'u-laura', fullName: 'Laura Martínez', color: '#2563eb' },
  { id: 'u-pablo', fullName: 'Pablo Ruiz', color: null },
];

function server(user: SessionUser): FakeServer {
  return new FakeServer()
    .on('POST /api/token/refresh', { status: 200, body: signedIn(user) })
    .on('GET /api/practitioners', { status: 200, body: { member: practitioners } })
    .on('GET /api/appointment-types', appointmentTypesReply)
    .on('GET /api/appointments', (request) => ({
      status: 200,
      body: { member: request.params.practitionerId === 'u-laura' ? day : [] },
    }));
}

describe('the day list page', () => {
  it("shows the physiotherapist's day under their name and the date, and prints it", async () => {
    const print = vi.spyOn(window, 'print').mockImplementation(() => {});
    const fake = server(receptionist);
    await renderApp(fake, '/calendar/day-list?date=2026-12-03&practitionerId=u-laura');
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Laura Martínez · jueves, 3 de diciembre de 2026' }),
    ).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Laura Martínez · jueves, 3 de diciembre de 2026' });
    expect(within(table).getAllByTestId('day-list-row')).toHaveLength(6);
    // The clinic's whole local day, of this physiotherapist only.
    expect(fake.calls('GET /api/appointments').map((call) => call.params)).toEqual([
      { start: '2026-12-03T00:00:00+01:00', end: '2026-12-04T00:00:00+01:00', practitionerId: 'u-laura' },
    ]);
    expect(screen.getByRole('combobox', { name: 'Fisioterapeuta' })).toHaveValue('u-laura');
    expect(screen.getByLabelText('Día')).toHaveValue('03/12/2026');
    expect(screen.getByRole('link', { name: 'Volver a la agenda' })).toHaveAttribute(
      'href',
      '/calendar?date=2026-12-03&practitionerId=u-laura',
    );

    await userEvent.setup().click(screen.getByRole('button', { name: 'Imprimir' }));
    expect(print).toHaveBeenCalledOnce();
    print.mockRestore();
  });

  it('lets the front desk choose the physiotherapist, and opens on today', async () => {
    const { router } = await renderApp(server(receptionist), '/calendar/day-list');
    expect(await screen.findByText('Elige un fisioterapeuta para ver su lista del día.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Imprimir' })).toBeDisabled();
    expect(screen.getByLabelText('Día')).toHaveValue('02/12/2026');

    const select = await screen.findByRole('combobox', { name: 'Fisioterapeuta' });
    await within(select).findByRole('option', { name: 'Pablo Ruiz' });
    await userEvent.setup().selectOptions(select, 'u-pablo');
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Pablo Ruiz · miércoles, 2 de diciembre de 2026' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('Pablo Ruiz no tiene citas este día.')).toBeInTheDocument();
    expect(router.state.location.search).toEqual({ practitionerId: 'u-pablo' });
  });

  it('opens on a physiotherapist’s own day, in English too', async () => {
    await setLocale('en');
    await renderApp(server(practitioner), '/calendar/day-list?date=2026-12-03');
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Laura Martínez · Thursday, 3 December 2026' }),
    ).toBeInTheDocument();
    expect(await screen.findAllByTestId('day-list-row')).toHaveLength(6);
    expect(screen.getByRole('button', { name: 'Print' })).toBeEnabled();
  });
});

const hours = (practitionerId: string) => ({
  status: 200,
  body: { practitionerId, timeZone: 'Europe/Madrid', periods: [{ weekday: 3, start: '09:00:00', end: '14:00:00' }] },
});

describe("the calendar's way to the day list", () => {
  it('links to the day shown, of the one physiotherapist shown', async () => {
    const fake = server(practitioner)
      .on('GET /api/practitioners/u-laura/working-hours', hours('u-laura'))
      .on('GET /api/practitioners/u-pablo/working-hours', hours('u-pablo'));
    await renderApp(fake, '/calendar?date=2026-12-03&view=timeGridDay');
    const link = await screen.findByRole('link', { name: 'Imprimir lista del día' });
    // Once the practitioners are in, the physiotherapist's own column is the one shown.
    await waitFor(() =>
      expect(link).toHaveAttribute('href', '/calendar/day-list?date=2026-12-03&practitionerId=u-laura'),
    );

    await userEvent.setup().click(link);
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Laura Martínez · jueves, 3 de diciembre de 2026' }),
    ).toBeInTheDocument();
  });
});
