import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FakeServer, problem } from '../test/fakeServer';
import { admin, signedIn } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

function signedOutServer(): FakeServer {
  return new FakeServer()
    .on('POST /api/token/refresh', problem(401))
    .on('GET /api/dashboard/stats', {
      status: 200,
      body: { totalPatients: 3, totalAppointments: 5, totalInvoices: 8, degraded: [] },
    });
}

async function submitLogin(email = 'admin@demo.clinic', password = 'demo1234') {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText('Correo electrónico'), email);
  await user.type(screen.getByLabelText('Contraseña'), password);
  await user.click(screen.getByRole('button', { name: 'Entrar' }));
}

describe('LoginPage', () => {
  it('has a labelled email field, password field and submit button', async () => {
    await renderApp(signedOutServer(), '/login');
    expect(await screen.findByLabelText('Correo electrónico')).toHaveAttribute('type', 'email');
    expect(screen.getByLabelText('Contraseña')).toHaveAttribute('type', 'password');
    expect(screen.getByRole('button', { name: 'Entrar' })).toHaveAttribute('type', 'submit');
    expect(screen.getByLabelText('Idioma')).toBeInTheDocument();
  });

  it('checks the fields in the app\'s language, not the browser\'s, before sending', async () => {
    const server = signedOutServer();
    await renderApp(server, '/login');
    const user = userEvent.setup();
    const email = await screen.findByLabelText('Correo electrónico');
    expect(email.closest('form')).toHaveAttribute('novalidate');
    await user.click(screen.getByRole('button', { name: 'Entrar' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Revisa los campos marcados.');
    expect(email).toHaveFocus();
    expect(email).toHaveAccessibleDescription('Escribe tu correo electrónico.');
    expect(screen.getByLabelText('Contraseña')).toHaveAccessibleDescription('Escribe tu contraseña.');

    await user.type(email, 'ana@clinica');
    await user.type(screen.getByLabelText('Contraseña'), 'x');
    await user.click(screen.getByRole('button', { name: 'Entrar' }));
    expect(email).toHaveAccessibleDescription('Escribe un correo electrónico válido, como nombre@clinica.es.');
    expect(screen.getByLabelText('Contraseña')).not.toHaveAttribute('aria-invalid');
    expect(server.calls('POST /api/login')).toHaveLength(0);
  });

  it('says the credentials are wrong in an alert, keeping what was typed', async () => {
    const server = signedOutServer().on('POST /api/login', problem(401));
    await renderApp(server, '/login');
    await submitLogin('admin@demo.clinic', 'wrong-password');
    expect(await screen.findByRole('alert')).toHaveTextContent('Correo o contraseña incorrectos.');
    expect(screen.getByLabelText('Correo electrónico')).toHaveValue('admin@demo.clinic');
    expect(server.calls('POST /api/login')[0]!.body).toEqual({
      email: 'admin@demo.clinic',
      password: 'wrong-password',
    });
  });

  it('when throttled, tells how long to wait (Retry-After) and holds the button', async () => {
    const server = signedOutServer().on(
      'POST /api/login',
      problem(429, {}, { 'Retry-After': '30' }),
    );
    await renderApp(server, '/login');
    await submitLogin();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Demasiados intentos fallidos. Vuelve a intentarlo en 30 segundos.',
    );
    expect(screen.getByRole('button', { name: 'Entrar' })).toBeDisabled();
  });

  it.each([
    ['no answer at all', { network: true } as const],
    ['the gateway answering 503', problem(503)],
  ])('says the server is unreachable on %s', async (_case, reply) => {
    await renderApp(signedOutServer().on('POST /api/login', reply), '/login');
    await submitLogin();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'No se puede contactar con el servidor.',
    );
  });

  it('goes on to where the user was heading', async () => {
    const server = signedOutServer()
      .on('POST /api/login', { status: 200, body: signedIn(admin) })
      .on('GET /api/users', { status: 200, body: { member: [], view: { first: '/api/users' } } });
    const { router } = await renderApp(server, '/users?page=1');
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    await submitLogin();
    await waitFor(() => expect(router.state.location.pathname).toBe('/users'));
    expect(await screen.findByRole('heading', { name: 'Usuarios' })).toBeInTheDocument();
  });

  it('ignores a redirect to another site', async () => {
    const server = signedOutServer().on('POST /api/login', { status: 200, body: signedIn(admin) });
    const { router } = await renderApp(server, '/login?redirect=%2F%2Fevil.example%2F');
    await submitLogin();
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    expect(await screen.findByRole('heading', { name: 'Panel' })).toBeInTheDocument();
  });
});
