import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Appointment, Practitioner } from '../../api/appointments';
import { appointmentRecord, appointmentTypes } from '../../test/appointmentFixtures';
import { FakeServer, problem } from '../../test/fakeServer';
import { renderDialog } from '../../test/renderDialog';
import { AppointmentDialog } from './AppointmentDialog';
import { inTimeZone } from '../../test/timeZone';

inTimeZone('Europe/Madrid');

const practitioners: Practitioner[] = [
  { id: 'u-laura', fullName: 'Laura Martínez', color: '#2563eb' },
  { id: 'u-jordi', fullName: 'Jordi Puig', color: '#16a34a' },
];
const path = '/api/appointments/a-1';
// Thursday 3 December 2026, 10:00–10:45 in Madrid, version 3.
const booked = appointmentRecord({ version: 3 });

async function openEditor(server: FakeServer, appointment: Appointment = booked) {
  const onChanged = vi.fn<(summary: string) => void>();
  await renderDialog(
    server,
    <AppointmentDialog
      appointment={appointment}
      practitioners={practitioners}
      types={appointmentTypes}
      loaded={[appointment]}
      now={new Date('2026-12-01T08:00:00Z')}
      onClose={() => {}}
      onChanged={(summary) => onChanged(summary)}
    />,
  );
  const user = userEvent.setup();
  await user.click(screen.getByRole('button', { name: 'Editar' }));
  await screen.findByRole('dialog', { name: 'Editar: José García Núñez' });
  return { onChanged, user };
}

describe('editing an appointment', () => {
  it('starts from the stored values and PUTs the changes with If-Match', async () => {
    const server = new FakeServer().on(`PUT ${path}`, (request) => ({
      status: 200,
      body: { ...booked, ...(request.body as object), version: 4 },
    }));
    const { onChanged, user } = await openEditor(server);
    expect(screen.getByLabelText('Fisioterapeuta')).toHaveValue('u-laura');
    expect(screen.getByLabelText('Inicio')).toHaveValue('03/12/2026');
    expect(screen.getByLabelText('Inicio: hora')).toHaveValue('10:00');
    expect(screen.getByLabelText('Duración (minutos)')).toHaveValue(45);

    await user.selectOptions(screen.getByLabelText('Fisioterapeuta'), 'u-jordi');
    await user.selectOptions(screen.getByLabelText('Tipo de cita'), 'first_visit');
    await user.clear(screen.getByLabelText('Inicio'));
    await user.type(screen.getByLabelText('Inicio'), '03/12/2026');
    await user.clear(screen.getByLabelText('Inicio: hora'));
    await user.type(screen.getByLabelText('Inicio: hora'), '11:30');
    await user.clear(screen.getByLabelText('Duración (minutos)'));
    await user.type(screen.getByLabelText('Duración (minutos)'), '60');
    await user.type(screen.getByLabelText('Notas'), 'Trae la resonancia');
    await user.click(screen.getByRole('button', { name: 'Guardar' }));

    await waitFor(() => expect(onChanged).toHaveBeenCalledWith('Cambios guardados.'));
    const [put] = server.calls(`PUT ${path}`);
    expect(put?.headers.get('If-Match')).toBe('"3"');
    expect(put?.body).toEqual({
      practitionerId: 'u-jordi',
      patientId: 'p-jose',
      type: 'first_visit',
      status: 'scheduled',
      cancellationReason: null,
      startsAt: '2026-12-03T10:30:00.000Z',
      endsAt: '2026-12-03T11:30:00.000Z',
      title: null,
      notes: 'Trae la resonancia',
    });
  });

  it('refuses a duration out of range before asking the server', async () => {
    const server = new FakeServer();
    const { user } = await openEditor(server);
    await user.clear(screen.getByLabelText('Duración (minutos)'));
    await user.type(screen.getByLabelText('Duración (minutos)'), '0');
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    expect(await screen.findByText('Entre 5 y 480 minutos.')).toBeInTheDocument();
    expect(server.calls(`PUT ${path}`)).toHaveLength(0);
  });

  it('lists a clash and keeps what was typed', async () => {
    const other = appointmentRecord({ id: 'a-2', patientName: 'Lucía Fernández', startsAt: '2026-12-03T10:30:00Z', endsAt: '2026-12-03T11:15:00Z' });
    const server = new FakeServer().on(`PUT ${path}`, problem(409, { clashes: [{ ...other, patientId: 'p-lucia' }] }));
    const { user } = await openEditor(server);
    await user.clear(screen.getByLabelText('Inicio'));
    await user.type(screen.getByLabelText('Inicio'), '03/12/2026');
    await user.clear(screen.getByLabelText('Inicio: hora'));
    await user.type(screen.getByLabelText('Inicio: hora'), '11:30');
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    expect(await screen.findByText('Ese horario coincide con:')).toBeInTheDocument();
    expect(screen.getByTestId('clash-list')).toHaveTextContent('11:30–12:15');
    expect(screen.getByLabelText('Inicio')).toHaveValue('03/12/2026');
  expect(screen.getByLabelText('Inicio: hora')).toHaveValue('11:30');
  });

  it('says when someone changed the appointment meanwhile (412)', async () => {
    const server = new FakeServer().on(`PUT ${path}`, problem(412));
    const { user } = await openEditor(server);
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    expect(await screen.findByText(/Alguien ha cambiado esta cita/)).toBeInTheDocument();
  });

  it('goes back to the details without saving', async () => {
    const server = new FakeServer();
    const { user } = await openEditor(server);
    await user.click(screen.getByRole('button', { name: 'Cancelar' }));
    expect(await screen.findByRole('dialog', { name: 'José García Núñez' })).toBeInTheDocument();
    expect(server.requests).toHaveLength(0);
  });

  it('asks before saving a time outside the working hours, and saves it anyway on request', async () => {
    const refusal = problem(422, {
      errors: [{ field: 'endsAt', message: "ends after the practitioner's working hours" }],
      code: 'outside_working_hours',
      reason: 'runs_over',
    });
    const server = new FakeServer().on(`PUT ${path}`, (request) =>
      (request.body as { allowOutsideHours?: boolean }).allowOutsideHours
        ? { status: 200, body: { ...booked, ...(request.body as object), version: 4 } }
        : refusal,
    );
    const { onChanged, user } = await openEditor(server);
    await user.clear(screen.getByLabelText('Inicio'));
    await user.type(screen.getByLabelText('Inicio'), '03/12/2026');
    await user.clear(screen.getByLabelText('Inicio: hora'));
    await user.type(screen.getByLabelText('Inicio: hora'), '18:45');
    await user.click(screen.getByRole('button', { name: 'Guardar' }));

    const confirm = await screen.findByRole('group', { name: 'Fuera del horario de trabajo: ¿guardar igualmente?' });
    expect(confirm).toHaveAccessibleDescription('La cita acaba después del horario de trabajo del fisioterapeuta.');
    expect(screen.getByLabelText('Inicio')).toHaveValue('03/12/2026');
    expect(screen.getByLabelText('Inicio: hora')).toHaveValue('18:45');
    expect(screen.getByRole('button', { name: 'Guardar igualmente' })).toHaveFocus();
    await user.keyboard('{Enter}');

    await waitFor(() => expect(onChanged).toHaveBeenCalledWith('Cambios guardados.'));
    const [refused, deliberate] = server.calls(`PUT ${path}`).map((call) => call.body);
    expect(refused).toMatchObject({ startsAt: '2026-12-03T17:45:00.000Z' });
    expect(refused).not.toHaveProperty('allowOutsideHours');
    expect(deliberate).toEqual({ ...(refused as object), allowOutsideHours: true });
  });
});
