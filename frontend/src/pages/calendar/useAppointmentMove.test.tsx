import { act, renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { http as appHttp } from '../../api/http';
import { appointmentRecord } from '../../test/appointmentFixtures';
import { FakeServer, problem } from '../../test/fakeServer';
import { type CalendarNotice, useAppointmentMove } from './useAppointmentMove';

const START = new Date('2026-12-03T10:00:00Z');
const END = new Date('2026-12-03T10:45:00Z');

/** Drag appointment a-1 (version 3) to 10:00–10:45 against `server`; what the hook did. */
async function move(server: FakeServer) {
  server.install(appHttp);
  const notices: (CalendarNotice | null)[] = [];
  const refresh = vi.fn<() => Promise<unknown>>(() => Promise.resolve());
  const revert = vi.fn<() => void>();
  const { result } = renderHook(() => useAppointmentMove((n) => notices.push(n), refresh));
  await act(async () => {
    result.current(appointmentRecord({ version: 3 }), { start: START, end: END }, revert);
    await vi.waitFor(() => expect(notices.length).toBe(2));
  });
  return { notices, refresh, revert, put: server.calls('PUT /api/appointments/a-1') };
}

describe('useAppointmentMove', () => {
  it('PUTs the new times with If-Match, then says so and refreshes', async () => {
    const server = new FakeServer().on('PUT /api/appointments/a-1', {
      status: 200,
      body: appointmentRecord({ startsAt: START.toISOString(), endsAt: END.toISOString(), version: 4 }),
    });
    const { notices, refresh, revert, put } = await move(server);
    expect(put).toHaveLength(1);
    expect(put[0]!.headers.get('If-Match')).toBe('"3"');
    expect(put[0]!.body).toMatchObject({
      practitionerId: 'u-laura',
      patientId: 'p-jose',
      startsAt: '2026-12-03T10:00:00.000Z',
      endsAt: '2026-12-03T10:45:00.000Z',
    });
    expect(notices).toEqual([
      null,
      { tone: 'success', text: 'Cita movida.', action: { label: 'Deshacer', run: expect.any(Function) } },
    ]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(revert).not.toHaveBeenCalled();
  });

  it('on a clash, puts the event back and names what it clashes with', async () => {
    const clash = {
      id: 'a-other',
      startsAt: '2026-12-03T10:00:00Z',
      endsAt: '2026-12-03T10:30:00Z',
      practitionerId: 'u-laura',
      patientId: 'p-lucia',
      kind: 'appointment',
    };
    const server = new FakeServer().on('PUT /api/appointments/a-1', problem(409, { clashes: [clash] }));
    const { notices, refresh, revert } = await move(server);
    expect(revert).toHaveBeenCalledTimes(1);
    expect(notices[1]).toEqual({
      tone: 'error',
      text: 'No se ha podido mover: ese horario coincide con:',
      clashes: [clash],
    });
    expect(refresh).not.toHaveBeenCalled();
  });

  it('when someone changed it meanwhile, puts it back and reloads', async () => {
    const server = new FakeServer().on('PUT /api/appointments/a-1', problem(412));
    const { notices, refresh, revert } = await move(server);
    expect(revert).toHaveBeenCalledTimes(1);
    expect(notices[1]).toEqual({
      tone: 'error',
      text: 'Alguien ha cambiado esta cita mientras tanto. La agenda se ha actualizado; inténtalo de nuevo.',
    });
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('on any other failure, puts it back and explains', async () => {
    const server = new FakeServer().on('PUT /api/appointments/a-1', problem(503));
    const { notices, refresh, revert } = await move(server);
    expect(revert).toHaveBeenCalledTimes(1);
    expect(notices[1]).toEqual({
      tone: 'error',
      text: 'Este servicio no está disponible ahora mismo. Inténtalo en unos minutos.',
    });
    expect(refresh).not.toHaveBeenCalled();
  });

  it('outside the working hours, puts it back and offers to move it there anyway', async () => {
    const refusal = problem(422, {
      errors: [{ field: 'startsAt', message: "outside the practitioner's working hours" }],
      code: 'outside_working_hours',
      reason: 'closed',
    });
    const server = new FakeServer().on('PUT /api/appointments/a-1', (request) =>
      (request.body as { allowOutsideHours?: boolean }).allowOutsideHours
        ? { status: 200, body: appointmentRecord({ version: 4 }) }
        : refusal,
    );
    const { notices, refresh, revert, put } = await move(server);
    expect(revert).toHaveBeenCalledTimes(1);
    expect(put[0]!.body).not.toHaveProperty('allowOutsideHours');
    const offer = notices[1];
    expect(offer).toMatchObject({
      tone: 'error',
      text: 'No se ha movido: queda fuera del horario de trabajo del fisioterapeuta.',
      action: { label: 'Moverla igualmente' },
    });

    await act(async () => {
      offer!.action!.run();
      await vi.waitFor(() => expect(notices.at(-1)).toMatchObject({ tone: 'success', text: 'Cita movida.' }));
    });
    const again = server.calls('PUT /api/appointments/a-1')[1]!;
    expect(again.headers.get('If-Match')).toBe('"3"');
    expect(again.body).toEqual({ ...(put[0]!.body as object), allowOutsideHours: true });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(revert).toHaveBeenCalledTimes(1);
  });
});
