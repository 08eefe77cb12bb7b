import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FakeServer, problem } from '../../test/fakeServer';
import { admin, receptionist, signedIn } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';

const stored = { maxSessionHours: 10, idleMinutes: 120, version: 0, updatedAt: null };

function adminServer(): FakeServer {
  return new FakeServer()
    .on('POST /api/token/refresh', { status: 200, body: signedIn(admin) })
    .on('GET /api/session-settings', { status: 200, body: stored, headers: { etag: '"0"' } });
}

describe('the session settings page', () => {
  it('shows the maximum and the idle lifetime, and saves a new maximum with If-Match', async () => {
    const server = adminServer().on('PUT /api/session-settings', {
      status: 200,
      body: { ...stored, maxSessionHours: 8, version: 1 },
      headers: { etag: '"1"' },
    });
    await renderApp(server, '/settings/sessions');
    const hours = await screen.findByLabelText('Duración máxima (horas)');
    expect(hours).toHaveValue(10);
    expect(screen.getByText(/se cierra tras 120 minutos sin actividad/)).toBeInTheDocument();
    const user = userEvent.setup();
    await user.clear(hours);
    await user.type(hours, '8');
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Guardado: las sesiones durarán como máximo 8 h.');
    const [put] = server.calls('PUT /api/session-settings');
    expect(put!.body).toEqual({ maxSessionHours: 8 });
    expect(put!.headers.get('If-Match')).toBe('"0"');
  });

  it.each(['0', '25', '7.5'])('refuses %s hours before sending, in the app language', async (value) => {
    const server = adminServer();
    await renderApp(server, '/settings/sessions');
    const hours = await screen.findByLabelText('Duración máxima (horas)');
    const user = userEvent.setup();
    await user.clear(hours);
    await user.type(hours, value);
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    expect(hours).toHaveAccessibleDescription(/Escribe un número entero de horas entre 1 y 24\./);
    expect(hours).toHaveFocus();
    expect(server.calls('PUT /api/session-settings')).toHaveLength(0);
  });

  it('on a stale version offers to reload', async () => {
    const server = adminServer().on('PUT /api/session-settings', problem(412));
    await renderApp(server, '/settings/sessions');
    await userEvent.click(await screen.findByRole('button', { name: 'Guardar' }));
    expect(await screen.findByText(/Otra persona ha modificado este registro/)).toBeInTheDocument();
    server.on('GET /api/session-settings', { status: 200, body: { ...stored, maxSessionHours: 12, version: 2 }, headers: { etag: '"2"' } });
    await userEvent.click(screen.getByRole('button', { name: 'Recargar' }));
    await waitFor(() => expect(screen.getByLabelText('Duración máxima (horas)')).toHaveValue(12));
  });

  it('is for admins only: the front desk sees "not allowed" and no link', async () => {
    const server = new FakeServer().on('POST /api/token/refresh', { status: 200, body: signedIn(receptionist) });
    await renderApp(server, '/settings/sessions');
    expect(await screen.findByRole('heading', { name: 'Acceso no permitido' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Sesiones' })).not.toBeInTheDocument();
    expect(server.calls('GET /api/session-settings')).toHaveLength(0);
  });
});
