import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Appointment, Clash } from '../../api/appointments';
import { appointmentRecord } from '../../test/appointmentFixtures';
import { type FakeReply, FakeServer, problem } from '../../test/fakeServer';
import { patientPage, patientRecord } from '../../test/fixtures';
import { inTimeZone } from '../../test/timeZone';
import { bookingDraft, jose, openBookingDialog } from './bookingDialogFixture';
import type { BookingDraft } from './bookingDraft';

// Times are typed and shown in the browser's zone: pin the clinic's.
inTimeZone('Europe/Madrid');

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The dialog as a click on Laura's Thursday at 10:00 opens it. */
const draft = bookingDraft;

const lucia = appointmentRecord({
  id: 'a-lucia',
  patientId: 'p-lucia',
  patientName: 'Lucía Fernández Martínez',
  startsAt: '2026-12-03T09:30:00Z',
  endsAt: '2026-12-03T10:15:00Z',
});

function clash(overrides: Partial<Clash> = {}): Clash {
  return {
    id: 'a-lucia',
    startsAt: '2026-12-03T09:30:00Z',
    endsAt: '2026-12-03T10:15:00Z',
    practitionerId: 'u-laura',
    patientId: 'p-lucia',
    kind: 'appointment',
    ...overrides,
  };
}

const open = (server: FakeServer, initial: BookingDraft, loaded: Appointment[] = []) =>
  openBookingDialog(server, initial, { loaded });

const book = () => screen.getByRole('button', { name: 'Reservar' });

/** A session of a series booked on `day` December 2026 at 10:00 in Madrid. */
const session = (id: string, day: string) =>
  appointmentRecord({ id, startsAt: `2026-12-${day}T09:00:00Z`, endsAt: `2026-12-${day}T09:45:00Z` });


const slot = (startsAt: string) => ({ startsAt, endsAt: startsAt });
// The offered times, looked up afresh (the list is replaced while another search loads).
const offered = () =>
  within(screen.getByRole('list', { name: 'Próximos huecos libres' })).getAllByRole('button');
describe('booking dialog', () => {
  it('finds and picks a patient, sets the duration from the type and books', async () => {
    const server = new FakeServer()
      .on('GET /api/patients', patientPage([patientRecord()]))
      .on('POST /api/appointments', { status: 201, body: appointmentRecord() });
    const { onBooked, user } = await open(server, draft());
    expect(screen.getByRole('dialog', { name: 'Reservar cita' })).toBeInTheDocument();
    expect(screen.getByLabelText('Inicio')).toHaveValue('03/12/2026');
    expect(screen.getByLabelText('Inicio: hora')).toHaveValue('10:00');
    expect(screen.getByLabelText('Fisioterapeuta')).toHaveValue('u-laura');

    await user.type(screen.getByRole('combobox', { name: 'Paciente' }), 'garcia');
    const results = await screen.findByRole('listbox', { name: 'Pacientes encontrados' });
    expect(server.calls('GET /api/patients').at(-1)?.params).toEqual({
      page: 1,
      itemsPerPage: 15,
      search: 'garcia',
      fuzzy: true,
      status: 'active',
    });
    await user.click(within(results).getByRole('option', { name: /José García Núñez/ }));
    expect(screen.getByTestId('picked-patient')).toHaveTextContent('José García Núñez');
    expect(screen.queryByRole('combobox', { name: 'Paciente' })).not.toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Tipo de cita'), 'Valoración inicial (60 min)');
    expect(screen.getByLabelText('Duración (minutos)')).toHaveValue(60);
    await user.type(screen.getByLabelText('Notas'), 'Trae la resonancia');
    await user.click(book());

    await waitFor(() =>
      expect(onBooked).toHaveBeenCalledWith('Reserva hecha: jueves 3 dic 2026, 10:00.', {
        id: 'p-jose',
        fullName: 'José García Núñez',
      }),
    );
    expect(server.calls('POST /api/appointments').map((call) => call.body)).toEqual([
      {
        practitionerId: 'u-laura',
        kind: 'appointment',
        patientId: 'p-jose',
        type: 'first_visit',
        startsAt: '2026-12-03T09:00:00.000Z',
        endsAt: '2026-12-03T10:00:00.000Z',
        notes: 'Trae la resonancia',
      },
    ]);
  });

  it('says when no active patient matches', async () => {
    const server = new FakeServer().on('GET /api/patients', patientPage([]));
    const { user } = await open(server, draft());
    await user.type(screen.getByRole('combobox', { name: 'Paciente' }), 'nadie');
    expect(await screen.findByText('No se ha encontrado ningún paciente activo.')).toBeInTheDocument();
  });

  it('checks the form before asking the server', async () => {
    const server = new FakeServer();
    const { onBooked, user } = await open(server, draft({ practitionerId: '' }));
    await user.click(book());
    expect(screen.getByRole('combobox', { name: 'Paciente' })).toHaveAccessibleDescription('Elige un paciente.');
    expect(screen.getByLabelText('Fisioterapeuta')).toHaveAccessibleDescription('Elige un fisioterapeuta.');

    await user.clear(screen.getByLabelText('Duración (minutos)'));
    await user.type(screen.getByLabelText('Duración (minutos)'), '500');
    await user.click(book());
    expect(screen.getByLabelText('Duración (minutos)')).toHaveAccessibleDescription('Entre 5 y 480 minutos.');
    expect(server.requests).toEqual([]);
    expect(onBooked).not.toHaveBeenCalled();
  });

  it('blocks time with a reason and no patient', async () => {
    const server = new FakeServer().on('POST /api/appointments', { status: 201, body: appointmentRecord() });
    const { onBooked, user } = await open(server, draft());
    await user.click(screen.getByRole('radio', { name: 'Bloquear tiempo' }));
    expect(screen.queryByRole('combobox', { name: 'Paciente' })).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Tipo de cita')).not.toBeInTheDocument();
    await user.click(book());
    expect(screen.getByLabelText('Motivo del bloqueo')).toHaveAccessibleDescription('Indica el motivo.');

    await user.type(screen.getByLabelText('Motivo del bloqueo'), 'Formación');
    await user.click(book());
    await waitFor(() => expect(onBooked).toHaveBeenCalled());
    expect(server.calls('POST /api/appointments')[0]?.body).toEqual({
      practitionerId: 'u-laura',
      kind: 'block',
      title: 'Formación',
      startsAt: '2026-12-03T09:00:00.000Z',
      endsAt: '2026-12-03T09:45:00.000Z',
      notes: null,
    });
  });

  it('lists what the time clashes with, naming the patients it knows', async () => {
    const server = new FakeServer().on(
      'POST /api/appointments',
      problem(409, { clashes: [clash(), clash({ id: 'a-other', startsAt: '2026-12-03T10:15:00Z', endsAt: '2026-12-03T11:00:00Z' })] }),
    );
    const { onBooked, user } = await open(server, draft({ patient: jose }), [lucia]);
    await user.click(book());

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Ese horario coincide con:');
    const items = within(screen.getByTestId('clash-list')).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(/10:30–11:15 · Lucía Fernández Martínez \(Laura Martínez\)$/);
    expect(items[1]).toHaveTextContent(/11:15–12:00 · otra cita$/);
    // Nothing else went wrong, so no generic message.
    expect(alert).not.toHaveTextContent('Ya existe un registro');
    expect(onBooked).not.toHaveBeenCalled();
  });

  it('after a 409 offers the next free times, of anyone on request, and takes the one clicked', async () => {
    const server = new FakeServer()
      .on('POST /api/appointments', problem(409, { clashes: [clash()] }))
      .on('GET /api/appointments/free-slots', (request) => ({
        status: 200,
        body: {
          member:
            request.params.practitionerId === 'u-laura'
              ? [slot('2030-01-10T08:00:00Z'), slot('2030-01-10T10:00:00Z')]
              : [slot('2030-01-10T09:30:00Z')],
        },
      }));
    const { user } = await open(server, draft({ patient: jose, start: '2030-01-10T10:00' }));
    await user.click(book());
    // 09:00 UTC is 10:00 in Madrid: the 08:00 UTC one is before the time asked for.
    const list = await screen.findByRole('list', { name: 'Próximos huecos libres' });
    await waitFor(() => expect(within(list).getAllByRole('button')).toHaveLength(1));
    expect(within(list).getByRole('button')).toHaveTextContent('11:00');
    expect(server.calls('GET /api/appointments/free-slots')[0]?.params).toEqual({
      practitionerId: 'u-laura',
      from: '2030-01-10',
      to: '2030-01-23',
      duration: 45,
    });

    await user.click(screen.getByLabelText('Con cualquier fisioterapeuta (al paciente le da igual)'));
    // Everyone's list is another one (read while it loads): look it up again.
    await waitFor(() => expect(offered()).toHaveLength(2));
    const pablos = offered().find((button) => /10:30 · Pablo Ruiz/.test(button.textContent ?? ''))!;
    await user.click(pablos);
    expect(screen.getByLabelText('Inicio')).toHaveValue('10/01/2030');
    expect(screen.getByLabelText('Inicio: hora')).toHaveValue('10:30');
    expect(screen.getByLabelText('Fisioterapeuta', { exact: true })).toHaveValue('u-pablo');
    expect(book()).toHaveFocus();
  });

  it('reports the clashing dates of a series and books only the free ones on request', async () => {
    const server = new FakeServer().on('POST /api/appointments', (request) =>
      (request.body as { skipClashes?: boolean }).skipClashes
        ? {
            status: 201,
            body: { seriesId: 's-1', member: [session('a-1', '03'), session('a-2', '07'), session('a-3', '14')], skipped: ['2026-12-10'] },
          }
        : problem(409, { seriesClashes: [{ date: '2026-12-10', clashes: [clash()] }] }),
    );
    const { onBooked, user } = await open(server, draft({ patient: jose }));
    await user.click(screen.getByRole('checkbox', { name: 'Repetir cada semana (tratamiento)' }));
    const weekdays = screen.getByRole('group', { name: 'Días de la semana' });
    expect(within(weekdays).getByRole('checkbox', { name: 'jue' })).toBeChecked();
    await user.click(within(weekdays).getByRole('checkbox', { name: 'lun' }));
    await user.clear(screen.getByLabelText('Número de sesiones'));
    await user.type(screen.getByLabelText('Número de sesiones'), '4');
    await user.click(book());

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Estas fechas coinciden con otras citas; no se ha reservado nada:');
    expect(within(alert).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['10 dic 2026']);
    await user.click(within(alert).getByRole('button', { name: 'Reservar solo las fechas libres' }));

    await waitFor(() =>
      expect(onBooked).toHaveBeenCalledWith(
        'Reserva hecha: 3 sesiones, lunes y jueves 10:00, 3 dic 2026 → 14 dic 2026. ' +
          'No se han reservado por coincidir con otras citas: 10 dic 2026.',
        jose,
      ),
    );
    const repeat = { every: 'week', weekdays: [0, 3], count: 4 };
    expect(server.calls('POST /api/appointments').map((call) => call.body)).toEqual([
      expect.objectContaining({ patientId: 'p-jose', repeat, skipClashes: false }),
      expect.objectContaining({ patientId: 'p-jose', repeat, skipClashes: true }),
    ]);
    // Booking only the free dates is another request (the clash released the first key).
    const [clashing, freeOnly] = server.headerOf('POST /api/appointments', 'Idempotency-Key');
    expect(clashing).toMatch(UUID_V4);
    expect(freeOnly).toMatch(UUID_V4);
    expect(freeOnly).not.toBe(clashing);
  });

  it('books again with the same Idempotency-Key after a lost answer, with a new one for a new booking', async () => {
    const replies: FakeReply[] = [{ network: true }, { timeout: true }];
    const server = new FakeServer().on(
      'POST /api/appointments',
      () => replies.shift() ?? { status: 201, body: appointmentRecord() },
    );
    const { onBooked, user } = await open(server, draft({ patient: jose }));
    await user.click(book());
    expect(await screen.findByRole('alert')).toHaveTextContent('No se puede contactar con el servidor');
    await user.click(book());
    expect(await screen.findByRole('alert')).toHaveTextContent('El servidor ha tardado demasiado en responder.');
    expect(screen.getByTestId('picked-patient')).toHaveTextContent('José García Núñez');

    // The notes changed: another booking, another key.
    await user.type(screen.getByLabelText('Notas'), 'Trae la resonancia');
    await user.click(book());
    await waitFor(() => expect(onBooked).toHaveBeenCalledOnce());
    // Booked: the same form booked once more is a new request (the server answers it with a clash).
    await user.click(book());
    await waitFor(() => expect(onBooked).toHaveBeenCalledTimes(2));

    const [lost, retried, changed, again] = server.headerOf('POST /api/appointments', 'Idempotency-Key');
    expect(lost).toMatch(UUID_V4);
    expect(retried).toBe(lost);
    expect(changed).toMatch(UUID_V4);
    expect(changed).not.toBe(lost);
    expect(again).toMatch(UUID_V4);
    expect(again).not.toBe(changed);
    const bodies = server.calls('POST /api/appointments').map((call) => call.body);
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual({ ...(bodies[0] as object), notes: 'Trae la resonancia' });
    expect(bodies[3]).toEqual(bodies[2]);
  });

  it('shows the server’s field errors beside their fields', async () => {
    const server = new FakeServer().on(
      'POST /api/appointments',
      problem(422, {
        errors: [
          { field: 'startsAt', message: 'Fuera del horario de trabajo' },
          { field: 'endsAt', message: 'Termina después del cierre' },
        ],
      }),
    );
    const { user } = await open(server, draft({ patient: jose }));
    await user.click(book());
    await waitFor(() =>
      expect(screen.getByLabelText('Inicio')).toHaveAccessibleDescription('Fuera del horario de trabajo'),
    );
    expect(screen.getByLabelText('Duración (minutos)')).toHaveAccessibleDescription('Termina después del cierre');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows a refusal of the picked patient (made inactive meanwhile) beside it', async () => {
    const server = new FakeServer().on(
      'POST /api/appointments',
      problem(422, { errors: [{ field: 'patientId', message: 'the patient is inactive' }] }),
    );
    const { onBooked, user } = await open(server, draft({ patient: jose }));
    await user.click(book());
    expect(await screen.findByText('the patient is inactive')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cambiar' })).toHaveAccessibleDescription('the patient is inactive');
    expect(onBooked).not.toHaveBeenCalled();
  });

  it('explains any other failure, and closes on request', async () => {
    const server = new FakeServer().on('POST /api/appointments', problem(503));
    const { onClose, user } = await open(server, draft({ patient: jose }));
    await user.click(book());
    expect(await screen.findByRole('alert')).toHaveTextContent('Este servicio no está disponible ahora mismo.');
    await user.click(screen.getByRole('button', { name: 'Cancelar' }));
    expect(onClose).toHaveBeenCalledOnce();
  });

  it('takes focus to the first field to fix when the form is refused (issue 14, defect 4)', async () => {
    const server = new FakeServer().on(
      'POST /api/appointments',
      problem(422, { errors: [{ field: 'startsAt', message: 'Fuera del horario de trabajo' }] }),
    );
    const { user } = await open(server, draft({ practitionerId: '' }));
    await user.click(book());
    expect(screen.getByRole('combobox', { name: 'Paciente' })).toHaveFocus();

    // The server's refusal of a field: focus on that field.
    await user.click(screen.getByRole('radio', { name: 'Bloquear tiempo' }));
    await user.type(screen.getByLabelText('Motivo del bloqueo'), 'Formación');
    await user.selectOptions(screen.getByLabelText('Fisioterapeuta'), 'Laura Martínez');
    await user.click(book());
    await waitFor(() => expect(screen.getByLabelText('Inicio')).toHaveFocus());
  });

  it('gives focus back to "Reservar" after a failed save, so Escape and Tab still work', async () => {
    const server = new FakeServer().on('POST /api/appointments', problem(503));
    const { onClose, user } = await open(server, draft({ patient: jose }));
    await user.click(book());
    expect(await screen.findByRole('alert')).toHaveTextContent('Este servicio no está disponible ahora mismo.');
    await waitFor(() => expect(book()).toHaveFocus());
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledOnce();
  });
});
