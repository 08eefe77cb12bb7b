import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Practitioner } from '../../api/appointments';
import { appointmentRecord } from '../../test/appointmentFixtures';
import { type FakeReply, FakeServer, problem } from '../../test/fakeServer';
import { renderDialog } from '../../test/renderDialog';
import { EmptySlotsDialog } from './EmptySlotsDialog';

const practitioners: Practitioner[] = [
  { id: 'u-laura', fullName: 'Laura Martínez', color: '#2563eb' },
  { id: 'u-pablo', fullName: 'Pablo Ruiz', color: null },
];

async function open(server: FakeServer, practitionerId = 'u-laura') {
  const onCreated = vi.fn<(summary: string) => void>();
  await renderDialog(
    server,
    <EmptySlotsDialog
      practitioners={practitioners}
      initial={{ practitionerId, from: '2026-11-30', to: '2026-12-06' }}
      onClose={() => undefined}
      onCreated={(summary) => onCreated(summary)}
    />,
  );
  return { onCreated, user: userEvent.setup() };
}

const create = () => screen.getByRole('button', { name: 'Crear huecos' });

describe('empty slots dialog', () => {
  it('lays slots over the week shown, 45 minutes each unless told', async () => {
    const slots = ['s-1', 's-2', 's-3'].map((id) => appointmentRecord({ id, kind: 'empty_slot' }));
    const server = new FakeServer().on('POST /api/appointments/empty-slots', {
      status: 201,
      body: { member: slots },
    });
    const { onCreated, user } = await open(server);
    expect(screen.getByRole('dialog', { name: 'Crear huecos' })).toBeInTheDocument();
    expect(screen.getByLabelText('Fisioterapeuta')).toHaveFocus();
    expect(screen.getByLabelText('Desde')).toHaveValue('30/11/2026');
    expect(screen.getByLabelText('Hasta (incluido)')).toHaveValue('06/12/2026');
    await user.clear(screen.getByLabelText('Duración (minutos)'));
    await user.type(screen.getByLabelText('Duración (minutos)'), '30');
    await user.click(create());

    await waitFor(() => expect(onCreated).toHaveBeenCalledWith('Huecos creados: 3.'));
    expect(server.calls('POST /api/appointments/empty-slots')[0]?.body).toEqual({
      practitionerId: 'u-laura',
      from: '2026-11-30',
      to: '2026-12-06',
      duration: 30,
    });
  });

  it('lays them again with the same Idempotency-Key after a lost answer, a new one once laid', async () => {
    const replies: FakeReply[] = [{ network: true }];
    const server = new FakeServer().on(
      'POST /api/appointments/empty-slots',
      () => replies.shift() ?? { status: 201, body: { member: [appointmentRecord({ kind: 'empty_slot' })] } },
    );
    const { onCreated, user } = await open(server);
    await user.click(create());
    expect(await screen.findByRole('alert')).toHaveTextContent('No se puede contactar con el servidor');
    await user.click(create());
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith('Huecos creados: 1.'));
    await user.click(create());
    await waitFor(() => expect(onCreated).toHaveBeenCalledTimes(2));

    const [lost, retried, next] = server.headerOf('POST /api/appointments/empty-slots', 'Idempotency-Key');
    expect(lost).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(retried).toBe(lost);
    expect(next).not.toBe(lost);
  });

  it('needs a practitioner chosen first', async () => {
    const { user } = await open(new FakeServer(), '');
    expect(create()).toBeDisabled();
    await user.selectOptions(screen.getByLabelText('Fisioterapeuta'), 'Pablo Ruiz');
    expect(create()).toBeEnabled();
  });

  it('shows the server’s field errors beside their fields, anything else above the buttons', async () => {
    let reply = problem(422, { errors: [{ field: 'to', message: 'at most 62 days' }] });
    const server = new FakeServer().on('POST /api/appointments/empty-slots', () => reply);
    const { onCreated, user } = await open(server);
    await user.click(create());
    await waitFor(() => expect(screen.getByLabelText('Hasta (incluido)')).toHaveAccessibleDescription('at most 62 days'));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    reply = problem(403);
    await user.click(create());
    expect(await screen.findByRole('alert')).toHaveTextContent('Tu rol no permite esta acción.');
    expect(onCreated).not.toHaveBeenCalled();
  });
});
