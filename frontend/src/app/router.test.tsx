import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FakeServer, problem } from '../test/fakeServer';
import { admin, receptionist, signedIn } from '../test/fixtures';
import { renderApp } from '../test/renderApp';
import type { SessionUser } from '../auth/types';
import { safeRedirect } from './guards';

const stats = {
  status: 200,
  body: { totalPatients: 1, totalAppointments: 2, totalInvoices: 3, degraded: [] },
};

function serverFor(user: SessionUser | null): FakeServer {
  return new FakeServer()
    .on('POST /api/token/refresh', user ? { status: 200, body: signedIn(user) } : problem(401))
    .on('GET /api/dashboard/stats', stats)
    .on('POST /api/logout', { status: 204 })
    .on('GET /api/users', { status: 200, body: { member: [], view: { first: '/api/users' } } });
}

describe('route guard', () => {
  it('sends a visitor without a session to /login, remembering the page', async () => {
    const { router } = await renderApp(serverFor(null), '/users');
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(router.state.location.search).toEqual({ redirect: '/users' });
    expect(await screen.findByRole('heading', { name: 'Iniciar sesión' })).toBeInTheDocument();
  });

  it('lets an admin in and shows the Users link, the name and logout', async () => {
    await renderApp(serverFor(admin), '/');
    const nav = await screen.findByRole('navigation');
    expect(within(nav).getByRole('link', { name: 'Usuarios' })).toHaveAttribute('href', '/users');
    expect(within(nav).getByRole('link', { name: 'Pacientes' })).toHaveAttribute('href', '/patients');
    expect(screen.getByText('Sesión iniciada como Ana García')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cerrar sesión' })).toBeInTheDocument();
  });

  it('shows a receptionist no Users link and refuses /users', async () => {
    const server = serverFor(receptionist);
    await renderApp(server, '/users');
    expect(await screen.findByRole('heading', { name: 'Acceso no permitido' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('Tu rol no permite esta acción.');
    const nav = screen.getByRole('navigation');
    expect(within(nav).queryByRole('link', { name: 'Usuarios' })).not.toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: 'Pacientes' })).toHaveAttribute('href', '/patients');
    expect(server.calls('GET /api/users')).toHaveLength(0);
  });

  it('after logout goes to /login without carrying the last page', async () => {
    const server = serverFor(admin);
    const { router } = await renderApp(server, '/users');
    await userEvent.click(await screen.findByRole('button', { name: 'Cerrar sesión' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(router.state.location.search).toEqual({});
    expect(server.calls('POST /api/logout')).toHaveLength(1);
  });

  it('when the session ends, asks for the password over the page, which then carries on', async () => {
    const users = { status: 200, body: { member: [], view: { first: '/api/users' } } };
    const server = serverFor(admin).on('GET /api/users', problem(401));
    const { router } = await renderApp(server, '/');
    await screen.findByText('Sesión iniciada como Ana García');
    server.on('POST /api/token/refresh', problem(401));
    await userEvent.click(screen.getByRole('link', { name: 'Usuarios' }));
    const dialog = await screen.findByRole('dialog', { name: 'Tu sesión ha terminado' });
    expect(router.state.location.pathname).toBe('/users');
    expect(within(dialog).getByText('Cuenta: Ana García (admin@demo.clinic)')).toBeInTheDocument();

    server.on('POST /api/login', { status: 200, body: signedIn(admin) }).on('GET /api/users', users);
    const user = userEvent.setup();
    await user.type(within(dialog).getByLabelText('Contraseña'), 'demo1234');
    await user.click(within(dialog).getByRole('button', { name: 'Continuar' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(server.calls('POST /api/login')[0]!.body).toEqual({ email: 'admin@demo.clinic', password: 'demo1234' });
    expect(await screen.findByText('Todavía no hay usuarios.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/users');
  });

  it('shows a not-found page for unknown paths', async () => {
    await renderApp(serverFor(admin), '/nowhere');
    expect(await screen.findByRole('heading', { name: 'Página no encontrada' })).toBeInTheDocument();
  });
});

describe('safeRedirect', () => {
  it.each([
    ['/users?page=2', '/users?page=2'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    ['/login', '/'],
    [undefined, '/'],
  ])('%s -> %s', (target, expected) => {
    expect(safeRedirect(target)).toBe(expected);
  });
});
