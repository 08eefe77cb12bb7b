import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeServer, problem } from '../test/fakeServer';
import { admin, signedIn, userDetail } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

const NOTICE = { name: 'Tu sesión va a terminar' };

function serverEnding(endsIn: number, renewable = true): FakeServer {
  return new FakeServer()
    .on('POST /api/token/refresh', { status: 200, body: signedIn(admin, 900, { endsIn, renewable }) })
    .on('GET /api/dashboard/stats', {
      status: 200,
      body: { totalPatients: 0, totalAppointments: 0, totalInvoices: 0, degraded: [] },
    })
    .on('GET /api/users', { status: 200, body: { member: [], view: { first: '/api/users' } } });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the warning before the session ends', () => {
  it('appears a few minutes before the end, without taking focus, and "Seguir conectado" renews', async () => {
    const server = serverEnding(170);
    await renderApp(server, '/users');
    const notice = await screen.findByRole('region', NOTICE);
    expect(within(notice).getByRole('status')).toHaveTextContent(/Sin actividad, la sesión se cerrará a las \d{1,2}:\d\d\./);
    expect(notice).not.toContainElement(document.activeElement as HTMLElement);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    server.on('POST /api/token/refresh', { status: 200, body: signedIn(admin, 900, { endsIn: 7200 }) });
    await userEvent.click(within(notice).getByRole('button', { name: 'Seguir conectado' }));
    await waitFor(() => expect(screen.queryByRole('region', NOTICE)).not.toBeInTheDocument());
    expect(server.calls('POST /api/token/refresh')).toHaveLength(2); // start-up, then the click
  });

  it('waits until three minutes before the end', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    await renderApp(serverEnding(190), '/users');
    await screen.findByText('Todavía no hay usuarios.');
    expect(screen.queryByRole('region', NOTICE)).not.toBeInTheDocument();
    await vi.advanceTimersByTimeAsync(11_000);
    expect(await screen.findByRole('region', NOTICE)).toBeInTheDocument();
  });

  it('at the maximum, offers to sign in again early: "Ahora no" puts it off, the password starts a new session', async () => {
    const server = serverEnding(100, false);
    await renderApp(server, '/users');
    const notice = await screen.findByRole('region', NOTICE);
    expect(notice).toHaveTextContent(/duración máxima a las \d{1,2}:\d\d\. Vuelve a identificarte/);
    const user = userEvent.setup();
    await user.click(within(notice).getByRole('button', { name: 'Seguir conectado' }));
    const dialog = await screen.findByRole('dialog', { name: 'Vuelve a identificarte' });
    await user.click(within(dialog).getByText('Ahora no'));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(server.calls('POST /api/token/refresh')).toHaveLength(1); // a refresh cannot help here

    server.on('POST /api/login', { status: 200, body: signedIn(admin, 900, { endsIn: 7200 }) });
    await user.click(screen.getByRole('button', { name: 'Seguir conectado' }));
    const again = await screen.findByRole('dialog', { name: 'Vuelve a identificarte' });
    expect(within(again).getByLabelText('Contraseña')).toHaveFocus();
    await user.type(within(again).getByLabelText('Contraseña'), 'demo1234{Enter}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.queryByRole('region', NOTICE)).not.toBeInTheDocument();
    expect(server.calls('POST /api/login')).toHaveLength(1);
  });
});

describe('the sign-in dialog over a form', () => {
  it('keeps what was typed, says when the password is wrong, and sends the refused save again', async () => {
    const server = serverEnding(7200);
    const { router } = await renderApp(server, '/users/new');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Nombre completo'), 'Marta Soler');
    await user.type(screen.getByLabelText('Correo electrónico'), 'marta@demo.clinic');
    await user.click(screen.getByRole('checkbox', { name: 'Recepción' }));
    await user.type(screen.getByLabelText('Contraseña inicial'), 'marta-pass-1');

    // The session ended meanwhile (a laptop asleep, a long phone call): the save is refused.
    const created = { status: 201, body: userDetail({ fullName: 'Marta Soler' }) };
    server
      .on('POST /api/token/refresh', problem(401))
      .on('POST /api/users', (request) =>
        request.headers.get('Authorization') === 'Bearer relogged' ? created : problem(401),
      );
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    const dialog = await screen.findByRole('dialog', { name: 'Tu sesión ha terminado' });
    expect(within(dialog).getByText(/Lo que estabas escribiendo sigue aquí/)).toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: /cerrar/i })).toHaveTextContent('Cerrar sesión sin guardar');
    await user.keyboard('{Escape}');
    expect(screen.getByRole('dialog', { name: 'Tu sesión ha terminado' })).toBeInTheDocument();

    // No password: the app's own message beside the field (the form is noValidate), nothing sent.
    await user.click(within(dialog).getByRole('button', { name: 'Continuar' }));
    expect(within(dialog).getByLabelText('Contraseña')).toHaveAccessibleDescription('Escribe tu contraseña.');
    expect(within(dialog).getByLabelText('Contraseña')).toHaveFocus();
    expect(server.calls('POST /api/login')).toHaveLength(0);

    server.on('POST /api/login', problem(401));
    await user.type(within(dialog).getByLabelText('Contraseña'), 'wrong{Enter}');
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('La contraseña no es correcta.');
    expect(screen.getByLabelText('Nombre completo', { selector: 'input[name="fullName"]' })).toHaveValue('Marta Soler');

    server.on('POST /api/login', { status: 200, body: { ...signedIn(admin), token: 'relogged' } });
    await user.clear(within(dialog).getByLabelText('Contraseña'));
    await user.type(within(dialog).getByLabelText('Contraseña'), 'demo1234{Enter}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/users'));
    const sent = server.calls('POST /api/users');
    expect(sent).toHaveLength(2);
    expect(sent[1]!.body).toMatchObject({ fullName: 'Marta Soler', email: 'marta@demo.clinic', password: 'marta-pass-1' });
    expect(sent[1]!.headers.get('Idempotency-Key')).toBe(sent[0]!.headers.get('Idempotency-Key'));
  });
});
