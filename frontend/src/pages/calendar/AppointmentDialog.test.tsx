import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { type Appointment, editable, type Practitioner } from '../../api/appointments';
import { appointmentRecord, appointmentTypes } from '../../test/appointmentFixtures';
import { FakeServer, problem } from '../../test/fakeServer';
import { patientPage, patientRecord } from '../../test/fixtures';
import { renderDialog } from '../../test/renderDialog';
import { AppointmentDialog } from './AppointmentDialog';
import { inTimeZone } from '../../test/timeZone';

// Times are shown in the browser's zone: pin the clinic's.
inTimeZone('Europe/Madrid');

const practitioners: Practitioner[] = [{ id: 'u-laura', fullName: 'Laura Martínez', color: '#2563eb' }];

// Thursday 3 December 2026, 10:00–10:45 in Madrid.
const booked = appointmentRecord({ version: 4 });
const DURING = new Date('2026-12-03T09:10:00Z');
const BEFORE = new Date('2026-12-02T17:00:00Z');
const path = '/api/appointments/a-1';

/** A server that saves whatever is PUT, answering with the next version. */
function savingServer(): FakeServer {
  return new FakeServer().on(`PUT ${path}`, (request) => ({
    status: 200,
    body: { ...booked, ...(request.body as object), version: 5 },
    headers: { etag: '"5"' },
  }));
}

async function open(server: FakeServer, appointment: Appointment, now = DURING) {
  const onChanged = vi.fn<(summary: string) => void>();
  const onClose = vi.fn<() => void>();
  await renderDialog(
    server,
    <AppointmentDialog
      appointment={appointment}
      practitioners={practitioners}
      types={appointmentTypes}
      loaded={[appointment]}
      now={now}
      onClose={() => onClose()}
      onChanged={(summary) => onChanged(summary)}
    />,
  );
  return { onChanged, onClose, user: userEvent.setup() };
}

const button = (name: string) => screen.getByRole('button', { name });

describe('appointment dialog', () => {
  it('shows the appointment’s details', async () => {
    await open(new FakeServer(), appointmentRecord({ notes: 'Dolor lumbar', seriesId: 's-1' }));
    const dialog = screen.getByRole('dialog', { name: 'José García Núñez' });
    expect(dialog).toHaveTextContent('3 dic 2026, 10:00 – 10:45');
    expect(dialog).toHaveTextContent('Laura Martínez');
    expect(dialog).toHaveTextContent('Sesión de fisioterapia');
    expect(dialog).toHaveTextContent('Programada');
    expect(dialog).toHaveTextContent('Forma parte de un tratamiento en serie');
    expect(dialog).toHaveTextContent('Dolor lumbar');
    expect(within(dialog).getByRole('link', { name: 'José García Núñez' })).toHaveAttribute(
      'href',
      '/patients/p-jose',
    );
  });

  it('marks a started appointment completed, sending its version', async () => {
    const server = savingServer();
    const { onChanged, user } = await open(server, booked);
    expect(screen.queryByText(/Solo se puede marcar/)).not.toBeInTheDocument();
    await user.click(button('Marcar realizada'));

    await waitFor(() => expect(onChanged).toHaveBeenCalledWith('Cita marcada como realizada.'));
    const [put] = server.calls(`PUT ${path}`);
    expect(put?.body).toEqual({ ...editable(booked), status: 'completed' });
    expect(put?.headers.get('If-Match')).toBe('"4"');
  });

  it('marks a started appointment as a no-show', async () => {
    const server = savingServer();
    const { onChanged, user } = await open(server, booked);
    await user.click(button('No acudió'));
    await waitFor(() => expect(onChanged).toHaveBeenCalledWith('Cita marcada como «no acudió».'));
    expect(server.calls(`PUT ${path}`)[0]?.body).toMatchObject({ status: 'no_show' });
  });

  it('does not mark one that has not started yet, and says why', async () => {
    const server = savingServer();
    const { user } = await open(server, booked, BEFORE);
    const why = 'Solo se puede marcar como realizada o «no acudió» cuando la cita ya ha empezado.';
    expect(button('Marcar realizada')).toBeDisabled();
    expect(button('Marcar realizada')).toHaveAttribute('title', why);
    expect(button('No acudió')).toBeDisabled();
    expect(screen.getByText(why)).toBeInTheDocument();
    await user.click(button('Marcar realizada'));
    expect(server.requests).toEqual([]);
    // Cancelling is allowed before it starts.
    expect(button('Cancelar cita')).toBeEnabled();
  });

  it('cancels only after confirmation', async () => {
    const server = savingServer();
    const { onChanged, user } = await open(server, booked, BEFORE);
    await user.click(button('Cancelar cita'));
    const confirm = screen.getByRole('group', { name: 'Confirmar' });
    expect(confirm).toHaveTextContent('¿Cancelar esta cita?');
    await user.click(within(confirm).getByRole('button', { name: 'No' }));
    expect(screen.queryByRole('group', { name: 'Confirmar' })).not.toBeInTheDocument();
    expect(server.requests).toEqual([]);

    await user.click(button('Cancelar cita'));
    const asking = screen.getByRole('group', { name: 'Confirmar' });
    const reasons = within(asking).getByRole('group', { name: '¿Por qué se cancela?' });
    expect(within(reasons).getAllByRole('radio').map((radio) => radio.closest('label')?.textContent)).toEqual([
      'Por el paciente, con tiempo',
      'Por la clínica',
      'Cancelación tardía',
    ]);
    // Nothing is chosen for the user: "Sí" alone asks for the reason and sends nothing.
    await user.click(within(asking).getByRole('button', { name: 'Sí' }));
    expect(within(asking).getByRole('alert')).toHaveTextContent('Elige por qué se cancela.');
    expect(server.requests).toEqual([]);

    await user.click(within(reasons).getByRole('radio', { name: 'Cancelación tardía' }));
    expect(within(asking).queryByRole('alert')).not.toBeInTheDocument();
    await user.click(within(asking).getByRole('button', { name: 'Sí' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalledWith('Cita cancelada.'));
    const [put] = server.calls(`PUT ${path}`);
    expect(put?.body).toEqual({ ...editable(booked), status: 'cancelled', cancellationReason: 'late' });
    expect(put?.headers.get('If-Match')).toBe('"4"');
  });

  it('cancels the rest of a series from this session on', async () => {
    const inSeries = appointmentRecord({ seriesId: 's-1', version: 2 });
    const server = new FakeServer().on(`POST ${path}/cancel-following`, {
      status: 200,
      body: { member: ['a-1', 'a-2', 'a-3'].map((id) => appointmentRecord({ id, status: 'cancelled' })) },
    });
    const { onChanged, user } = await open(server, inSeries, BEFORE);
    await user.click(button('Cancelar esta y las siguientes'));
    const confirm = screen.getByRole('group', { name: 'Confirmar' });
    expect(confirm).toHaveTextContent('¿Cancelar esta sesión y todas las siguientes de la serie?');
    await user.click(within(confirm).getByRole('radio', { name: 'Por la clínica' }));
    await user.click(within(confirm).getByRole('button', { name: 'Sí' }));

    await waitFor(() => expect(onChanged).toHaveBeenCalledWith('Sesiones canceladas: 3.'));
    const [post] = server.calls(`POST ${path}/cancel-following`);
    expect(post?.headers.get('If-Match')).toBe('"2"');
    expect(post?.body).toEqual({ cancellationReason: 'clinic' });
  });

  it('marks the patient arrived from an hour before, then completes the session', async () => {
    const server = savingServer();
    const early = new Date('2026-12-03T08:05:00Z'); // 09:05 in Madrid, the visit is at 10:00
    const { onChanged, user } = await open(server, booked, early);
    expect(button('Ha llegado')).toBeEnabled();
    expect(button('Marcar realizada')).toBeDisabled();
    await user.click(button('Ha llegado'));
    await waitFor(() => expect(onChanged).toHaveBeenCalledWith('Paciente marcado como llegado.'));
    const [put] = server.calls(`PUT ${path}`);
    expect(put?.body).toEqual({ ...editable(booked), status: 'arrived', cancellationReason: null });
    expect(put?.headers.get('If-Match')).toBe('"4"');
  });

  it('does not mark arrived more than an hour before, and says why', async () => {
    await open(new FakeServer(), booked, BEFORE);
    expect(button('Ha llegado')).toBeDisabled();
    expect(button('Ha llegado')).toHaveAttribute('title', 'La llegada se puede marcar desde una hora antes de la cita.');
  });

  it('offers an arrived patient the session done or the mark undone, and no cancelling', async () => {
    const arrived = appointmentRecord({ status: 'arrived', version: 6 });
    const server = new FakeServer().on(`PUT ${path}`, (request) => ({
      status: 200,
      body: { ...arrived, ...(request.body as object), version: 7 },
      headers: { etag: '"7"' },
    }));
    const { onChanged, user } = await open(server, arrived);
    expect(screen.getByRole('dialog')).toHaveTextContent('Ha llegado');
    expect(screen.queryByRole('button', { name: 'Cancelar cita' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'No acudió' })).not.toBeInTheDocument();
    expect(button('Deshacer «ha llegado»')).toBeEnabled();
    await user.click(button('Marcar realizada'));
    await waitFor(() => expect(onChanged).toHaveBeenCalledWith('Cita marcada como realizada.'));
    expect(server.calls(`PUT ${path}`)[0]?.body).toMatchObject({ status: 'completed', cancellationReason: null });
  });

  it('shows why a cancelled appointment was cancelled', async () => {
    await open(new FakeServer(), appointmentRecord({ status: 'cancelled', cancellationReason: 'late' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent('Cancelada');
    expect(dialog).toHaveTextContent('MotivoCancelación tardía');
  });

  it('offers no series cancel for a single appointment', async () => {
    await open(new FakeServer(), booked);
    expect(screen.queryByRole('button', { name: 'Cancelar esta y las siguientes' })).not.toBeInTheDocument();
  });

  it('undoes a no-show', async () => {
    const missed = appointmentRecord({ status: 'no_show', version: 4 });
    const server = savingServer();
    const { onChanged, user } = await open(server, missed);
    expect(screen.queryByRole('button', { name: 'Marcar realizada' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancelar cita' })).not.toBeInTheDocument();
    await user.click(button('Deshacer «no acudió»'));
    await waitFor(() => expect(onChanged).toHaveBeenCalledWith('La cita vuelve a estar programada.'));
    expect(server.calls(`PUT ${path}`)[0]?.body).toEqual({ ...editable(missed), status: 'scheduled' });
  });

  it('fills an empty slot with a patient and a type', async () => {
    const slot = appointmentRecord({ kind: 'empty_slot', patientId: null, patientName: null, type: null });
    const server = savingServer().on('GET /api/patients', patientPage([patientRecord()]));
    const { onChanged, user } = await open(server, slot, BEFORE);
    expect(screen.getByRole('dialog', { name: 'Hueco libre' })).toBeInTheDocument();
    expect(button('Asignar el hueco')).toBeDisabled();
    expect(button('Quitar hueco')).toBeEnabled();

    await user.type(screen.getByRole('combobox', { name: 'Paciente' }), 'garcia');
    const results = await screen.findByRole('listbox', { name: 'Pacientes encontrados' });
    await user.click(within(results).getByRole('option', { name: /José García Núñez/ }));
    expect(screen.getByLabelText('Tipo de cita')).toHaveDisplayValue('Sesión de fisioterapia');
    await user.selectOptions(screen.getByLabelText('Tipo de cita'), 'Valoración inicial');
    await user.click(button('Asignar el hueco'));

    await waitFor(() => expect(onChanged).toHaveBeenCalledWith('Hueco asignado a José García Núñez.'));
    const [put] = server.calls(`PUT ${path}`);
    expect(put?.body).toEqual({ ...editable(slot), patientId: 'p-jose', type: 'first_visit' });
    expect(put?.headers.get('If-Match')).toBe('"1"');
  });

  it('removes a block after confirmation', async () => {
    const block = appointmentRecord({ kind: 'block', patientId: null, patientName: null, type: null, title: 'Formación' });
    const server = new FakeServer().on(`DELETE ${path}`, { status: 204 });
    const { onChanged, user } = await open(server, block, BEFORE);
    expect(screen.getByRole('dialog', { name: 'Formación' })).toBeInTheDocument();
    await user.click(button('Quitar bloqueo'));
    expect(screen.getByRole('group', { name: 'Confirmar' })).toHaveTextContent('¿Quitarlo de la agenda?');
    await user.click(button('Sí'));
    await waitFor(() => expect(onChanged).toHaveBeenCalledWith('Quitado de la agenda.'));
    expect(server.calls(`DELETE ${path}`)).toHaveLength(1);
  });

  it('says so when someone else changed the appointment meanwhile', async () => {
    const server = new FakeServer().on(`PUT ${path}`, problem(412));
    const { onChanged, user } = await open(server, booked);
    await user.click(button('Marcar realizada'));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Alguien ha cambiado esta cita mientras tanto. La agenda se ha actualizado; inténtalo de nuevo.',
    );
    expect(onChanged).not.toHaveBeenCalled();
  });

  it('lists the clashes when undoing a no-show would overlap another booking', async () => {
    const missed = appointmentRecord({ status: 'no_show' });
    const server = new FakeServer().on(
      `PUT ${path}`,
      problem(409, {
        clashes: [
          {
            id: 'a-9',
            startsAt: '2026-12-03T09:00:00Z',
            endsAt: '2026-12-03T09:45:00Z',
            practitionerId: 'u-laura',
            patientId: null,
            kind: 'empty_slot',
          },
        ],
      }),
    );
    const { user } = await open(server, missed);
    await user.click(button('Deshacer «no acudió»'));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByTestId('clash-list')).toHaveTextContent(/10:00–10:45 · Hueco libre$/);
  });
});
