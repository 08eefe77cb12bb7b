import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Practitioner, WorkingHours } from '../../api/appointments';
import type { SessionUser } from '../../auth/types';
import { appointmentPage, appointmentRecord, appointmentTypesReply } from '../../test/appointmentFixtures';
import { FakeServer } from '../../test/fakeServer';
import { patientRecord, practitioner, receptionist, signedIn } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';
import { inTimeZone } from '../../test/timeZone';

// The browser's zone and clock decide which week shows: pin both.
const NOW = new Date('2026-12-02T08:00:00Z');
inTimeZone('Europe/Madrid');
beforeAll(() => {
  // The lazily loaded page (FullCalendar included) can take a while on a busy two-core machine.
  configure({ asyncUtilTimeout: 5000 });
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

const practitioners: Practitioner[] = [
  { id: 'u-laura', fullName: 'Laura Martínez', color: '#2563eb' },
  { id: 'u-pablo', fullName: 'Pablo Ruiz', color: null },
];

function hours(practitionerId: string): WorkingHours {
  return {
    practitionerId,
    timeZone: 'Europe/Madrid',
    periods: [{ weekday: 3, start: '09:00:00', end: '14:00:00' }],
  };
}

const pablos = appointmentRecord({
  id: 'a-pablo',
  practitionerId: 'u-pablo',
  practitionerName: 'Pablo Ruiz',
  patientId: 'p-lucia',
  patientName: 'Lucía Fernández Martínez',
  startsAt: '2026-12-04T10:00:00Z',
  endsAt: '2026-12-04T10:45:00Z',
});

/** An appointment as FullCalendar drew it, if it did. */
const appointmentOnScreen = (id: string) =>
  screen.getByTestId('calendar').querySelector<HTMLElement>(`[data-appointment-id="${id}"]`);

/** Wait for FullCalendar to draw appointment `id`. */
const findAppointment = (id: string) =>
  waitFor(() => {
    const found = appointmentOnScreen(id);
    expect(found).not.toBeNull();
    return found!;
  });

function calendarServer(user: SessionUser): FakeServer {
  return new FakeServer()
    .on('POST /api/token/refresh', { status: 200, body: signedIn(user) })
    .on('GET /api/practitioners', { status: 200, body: { member: practitioners } })
    .on('GET /api/appointment-types', appointmentTypesReply)
    .on('GET /api/practitioners/u-laura/working-hours', { status: 200, body: hours('u-laura') })
    .on('GET /api/practitioners/u-pablo/working-hours', { status: 200, body: hours('u-pablo') })
    .on('GET /api/patients/p-jose', { status: 200, body: patientRecord(), headers: { etag: '"1"' } })
    .on('GET /api/appointments', appointmentPage([appointmentRecord(), pablos]));
}

const filter = () => screen.getByRole('group', { name: 'Fisioterapeutas' });

describe('calendar page', () => {
  it('shows a physiotherapist their own column, and the rest on request', async () => {
    const server = calendarServer(practitioner);
    await renderApp(server, '/calendar?date=2026-12-03&view=timeGridWeek');
    expect(await screen.findByRole('heading', { level: 1, name: 'Agenda' })).toBeInTheDocument();
    const laura = await within(filter()).findByRole('checkbox', { name: 'Laura Martínez' });
    expect(laura).toBeChecked();
    expect(within(filter()).getByRole('checkbox', { name: 'Pablo Ruiz' })).not.toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Mostrar canceladas' })).not.toBeChecked();

    // The week of 3 December, Monday first, in the clinic's zone.
    await waitFor(() => expect(server.calls('GET /api/appointments')).not.toHaveLength(0));
    expect(server.calls('GET /api/appointments')[0]?.params).toEqual({
      start: '2026-11-29T23:00:00.000Z',
      end: '2026-12-06T23:00:00.000Z',
    });
    expect(server.calls('GET /api/practitioners/u-pablo/working-hours')).toHaveLength(0);
    const calendar = screen.getByTestId('calendar');
    // FullCalendar speaks Spanish, and draws only Laura's appointment.
    expect(within(calendar).getByRole('button', { name: 'Semana' })).toBeInTheDocument();
    // Nobody works at the weekend (the hours say Thursday): Monday to Friday only.
    expect(await within(calendar).findByText('30 nov – 4 dic 2026')).toBeInTheDocument();
    const own = await findAppointment('a-1');
    expect(own).toHaveTextContent('José García Núñez');
    expect(own).toHaveTextContent('Sesión de fisioterapia');
    expect(appointmentOnScreen('a-pablo')).toBeNull();

    await userEvent.setup().click(within(filter()).getByRole('checkbox', { name: 'Pablo Ruiz' }));
    expect(within(filter()).getByRole('checkbox', { name: 'Pablo Ruiz' })).toBeChecked();
    await waitFor(() => expect(server.calls('GET /api/practitioners/u-pablo/working-hours')).toHaveLength(1));
    expect(await findAppointment('a-pablo')).toHaveTextContent('Lucía Fernández Martínez');
  });

  it('opens an appointment’s details from the calendar', async () => {
    await renderApp(calendarServer(practitioner), '/calendar?date=2026-12-03');
    await userEvent.setup().click(await findAppointment('a-1'));
    const dialog = await screen.findByRole('dialog', { name: 'José García Núñez' });
    expect(dialog).toHaveTextContent('3 dic 2026, 10:00 – 10:45');
    // It opened before the appointment's start (the clock says 2 December).
    expect(within(dialog).getByRole('button', { name: 'Marcar realizada' })).toBeDisabled();
  });

  it('shows the front desk everyone, and books for the patient in the URL', async () => {
    const server = calendarServer(receptionist);
    await renderApp(server, '/calendar?date=2026-12-03&patientId=p-jose');
    const banner = await screen.findByText(/Reservando para José García Núñez/);
    expect(banner).toHaveTextContent('Reservando para José García Núñez: elige un hueco en la agenda.');
    for (const name of ['Laura Martínez', 'Pablo Ruiz']) {
      expect(within(filter()).getByRole('checkbox', { name })).toBeChecked();
    }

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Nueva cita' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reservar cita' });
    expect(within(dialog).getByTestId('picked-patient')).toHaveTextContent('José García Núñez');
    // Two practitioners shown: the front desk picks one. On the next full hour, today.
    expect(within(dialog).getByLabelText('Fisioterapeuta')).toHaveValue('');
    expect(within(dialog).getByLabelText('Inicio')).toHaveValue('02/12/2026');
    expect(within(dialog).getByLabelText('Inicio: hora')).toHaveValue('10:00');
    await user.click(within(dialog).getByRole('button', { name: 'Cancelar' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Dejar de reservar para este paciente' }));
    await waitFor(() => expect(screen.queryByText(/Reservando para/)).not.toBeInTheDocument());
  });

  it('stops booking for the patient once booked, offering another appointment for them', async () => {
    const server = calendarServer(receptionist).on('POST /api/appointments', (request) => ({
      status: 201,
      body: appointmentRecord({ ...(request.body as object), id: 'a-new', version: 1 }),
    }));
    const { router } = await renderApp(server, '/calendar?date=2026-12-03&patientId=p-jose');
    await screen.findByText(/Reservando para José García Núñez/);
    const user = userEvent.setup();
    const bookForJose = async () => {
      await user.click(screen.getByRole('button', { name: 'Nueva cita' }));
      const dialog = await screen.findByRole('dialog', { name: 'Reservar cita' });
      expect(within(dialog).getByTestId('picked-patient')).toHaveTextContent('José García Núñez');
      await user.selectOptions(within(dialog).getByLabelText('Fisioterapeuta'), 'u-laura');
      await user.click(within(dialog).getByRole('button', { name: 'Reservar' }));
      const notice = await waitFor(() => {
        const found = screen.getAllByRole('status').find((item) => item.textContent?.startsWith('Reserva hecha'));
        expect(found).toBeDefined();
        return found!;
      });
      // The banner was for that booking: gone, from the page and from the URL.
      await waitFor(() => expect(screen.queryByText(/Reservando para/)).not.toBeInTheDocument());
      expect(router.state.location.search).not.toHaveProperty('patientId');
      expect(notice).toHaveTextContent('Reserva hecha: miércoles 2 dic 2026, 10:00.');
      return notice;
    };

    const notice = await bookForJose();
    // Another appointment for the same patient is one explicit click away…
    await user.click(within(notice).getByRole('button', { name: 'Otra cita para José García Núñez' }));
    expect(await screen.findByText(/Reservando para José García Núñez/)).toBeInTheDocument();
    await bookForJose();
    // …otherwise the next time picked starts with nobody.
    await user.click(screen.getByRole('button', { name: 'Nueva cita' }));
    const next = await screen.findByRole('dialog', { name: 'Reservar cita' });
    expect(within(next).queryByTestId('picked-patient')).not.toBeInTheDocument();
    expect(within(next).getByRole('combobox', { name: 'Paciente' })).toHaveValue('');
    expect(server.calls('POST /api/appointments')).toHaveLength(2);
  }, 30_000);

  it('opens the one practitioner asked for in the URL', async () => {
    const server = calendarServer(receptionist);
    await renderApp(server, '/calendar?date=2026-12-03&practitionerId=u-pablo');
    const pablo = await within(await screen.findByRole('group', { name: 'Fisioterapeutas' })).findByRole('checkbox', {
      name: 'Pablo Ruiz',
    });
    expect(pablo).toBeChecked();
    expect(within(filter()).getByRole('checkbox', { name: 'Laura Martínez' })).not.toBeChecked();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Nueva cita' }));
    expect(await screen.findByLabelText('Fisioterapeuta')).toHaveValue('u-pablo');
  });

  it('says "No acudió" in words on a no-show (issue 14, defect 5)', async () => {
    const noShow = appointmentRecord({ id: 'a-gone', status: 'no_show', startsAt: '2026-12-03T11:00:00Z', endsAt: '2026-12-03T11:45:00Z' });
    const server = calendarServer(practitioner).on('GET /api/appointments', appointmentPage([appointmentRecord(), noShow]));
    await renderApp(server, '/calendar?date=2026-12-03');
    expect(await findAppointment('a-gone')).toHaveTextContent('No acudió');
    expect(await findAppointment('a-1')).not.toHaveTextContent('No acudió');
  });

  it('shows a week that failed to load as disabled, with "Reintentar" (issue 14, defect 6)', async () => {
    let fail = true;
    const server = calendarServer(receptionist).on('GET /api/appointments', () =>
      fail ? { status: 503, body: { title: 'Service Unavailable', status: 503 } } : appointmentPage([appointmentRecord()]),
    );
    await renderApp(server, '/calendar?date=2026-12-03');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('No se han podido cargar las citas de estas fechas');
    const calendar = screen.getByTestId('calendar');
    expect(calendar).toHaveAttribute('data-week-state', 'error');
    // The grid is inert: no click, no Tab into it (a free-looking week that may not be free).
    expect(calendar.querySelector('.fc')?.closest('[inert]')).not.toBeNull();

    fail = false;
    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Reintentar' }));
    expect(await findAppointment('a-1')).toHaveTextContent('José García Núñez');
    expect(calendar).toHaveAttribute('data-week-state', 'ready');
    expect(calendar.querySelector('[inert]')).toBeNull();
    expect(screen.queryByText(/No se han podido cargar las citas/)).not.toBeInTheDocument();
  });

  it('says the week is loading, and offers no booking before practitioners and types are in', async () => {
    const gate: { open?: () => void } = {};
    const typesHeld = new Promise<void>((resolve) => {
      gate.open = resolve;
    });
    const server = calendarServer(receptionist).on('GET /api/appointment-types', async () => {
      await typesHeld;
      return appointmentTypesReply;
    });
    await renderApp(server, '/calendar?date=2026-12-03');
    const calendar = await screen.findByTestId('calendar');
    expect(calendar).toHaveAttribute('aria-busy', 'true');
    expect(within(calendar).getByRole('status')).toHaveTextContent('Cargando fisioterapeutas y tipos de cita…');
    expect(screen.getByRole('button', { name: 'Nueva cita' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Crear huecos' })).toBeDisabled();

    gate.open?.();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Nueva cita' })).toBeEnabled());
    await waitFor(() => expect(calendar).toHaveAttribute('aria-busy', 'false'));
    await userEvent.setup().click(screen.getByRole('button', { name: 'Nueva cita' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reservar cita' });
    expect(within(dialog).getByLabelText('Tipo de cita')).toHaveValue('follow_up');
  });

  it('opens on the day with a column per physiotherapist when the URL names no view', async () => {
    await renderApp(calendarServer(receptionist), '/calendar?date=2026-12-03');
    const calendar = await screen.findByTestId('calendar');
    expect(await within(calendar).findByRole('button', { name: 'Por fisio' })).toHaveClass('fc-button-active');
    const columns = await screen.findByRole('group', { name: 'Agenda del día, una columna por fisioterapeuta' });
    expect(within(columns).getByRole('region', { name: 'Laura Martínez' })).toBeInTheDocument();
    expect(within(columns).getByRole('region', { name: 'Pablo Ruiz' })).toBeInTheDocument();
  });

  it('opens on the day as a list on a phone-wide window', async () => {
    const width = window.innerWidth;
    window.innerWidth = 390;
    try {
      await renderApp(calendarServer(receptionist), '/calendar?date=2026-12-03');
      const calendar = await screen.findByTestId('calendar');
      expect(await within(calendar).findByRole('button', { name: 'Lista' })).toHaveClass('fc-button-active');
      await waitFor(() => expect(calendar).toHaveAttribute('aria-busy', 'false'));
      const line = await findAppointment('a-1');
      expect(line).toHaveTextContent('José García Núñez');
      expect(line).toHaveTextContent('Sesión de fisioterapia');
      expect(screen.queryByRole('group', { name: /una columna por fisioterapeuta/ })).not.toBeInTheDocument();
    } finally {
      window.innerWidth = width;
    }
  });
});
