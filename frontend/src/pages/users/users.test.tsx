import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { type FakeReply, FakeServer, problem } from '../../test/fakeServer';
import { admin, signedIn, userDetail } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';

function adminServer(): FakeServer {
  return new FakeServer().on('POST /api/token/refresh', { status: 200, body: signedIn(admin) });
}

describe('users list', () => {
  it('lists accounts a page at a time', async () => {
    const laura = userDetail();
    const jordi = userDetail({ id: 'u-jordi', fullName: 'Jordi Puig', active: false });
    const server = adminServer().on('GET /api/users', (request) =>
      request.params.page === 1
        ? {
            status: 200,
            body: { member: [laura], view: { first: '/api/users?page=1', next: '/api/users?page=2' } },
          }
        : { status: 200, body: { member: [jordi], view: { first: '/api/users?page=1' } } },
    );
    await renderApp(server, '/users');
    const row = (await screen.findByRole('link', { name: 'Laura Martínez' })).closest('tr')!;
    expect(within(row).getByText('Fisioterapeuta')).toBeInTheDocument();
    expect(within(row).getByText('Sí')).toBeInTheDocument();
    expect(server.calls('GET /api/users')[0]!.params).toEqual({ page: 1, itemsPerPage: 15 });

    await userEvent.click(screen.getByRole('link', { name: 'Siguiente' }));
    const jordiRow = (await screen.findByRole('link', { name: 'Jordi Puig' })).closest('tr')!;
    expect(within(jordiRow).getByText('No')).toBeInTheDocument();
    expect(screen.getByText('Página 2')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Anterior' })).toBeInTheDocument();
  });
});

async function fillNewUser() {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText('Nombre completo'), 'Marta Soler');
  await user.type(screen.getByLabelText('Correo electrónico'), 'marta@demo.clinic');
  await user.click(screen.getByRole('checkbox', { name: 'Recepción' }));
  await user.selectOptions(screen.getByLabelText('Idioma', { selector: 'select[name="locale"]' }), 'en');
  await user.type(screen.getByLabelText('Contraseña inicial'), 'marta-pass-1');
  return user;
}

describe('creating a user', () => {
  it('shows the server field errors beside their fields and keeps what was typed', async () => {
    const server = adminServer().on(
      'POST /api/users',
      problem(409, {
        detail: 'email: is already used by another user',
        errors: [{ field: 'email', message: 'is already used by another user' }],
      }),
    );
    await renderApp(server, '/users/new');
    const user = await fillNewUser();
    await user.click(screen.getByRole('button', { name: 'Guardar' }));

    const email = screen.getByLabelText('Correo electrónico');
    await waitFor(() => expect(email).toHaveAttribute('aria-invalid', 'true'));
    expect(email).toHaveAccessibleDescription('Otro usuario ya usa este correo electrónico.');
    expect(screen.getByRole('alert')).toHaveTextContent('Revisa los campos marcados.');
    expect(screen.getByLabelText('Nombre completo')).toHaveValue('Marta Soler');
    expect(screen.getByLabelText('Contraseña inicial')).toHaveValue('marta-pass-1');
    expect(screen.getByRole('checkbox', { name: 'Recepción' })).toBeChecked();
    expect(server.calls('POST /api/users')[0]!.body).toEqual({
      email: 'marta@demo.clinic',
      fullName: 'Marta Soler',
      roles: ['ROLE_RECEPTIONIST'],
      color: '#0f766e',
      locale: 'en',
      password: 'marta-pass-1',
    });
  });

  it('checks the form in Spanish before sending (no browser bubbles), focusing the first wrong field', async () => {
    const server = adminServer();
    await renderApp(server, '/users/new');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Correo electrónico'), 'marta@');
    await user.type(screen.getByLabelText('Contraseña inicial'), 'corta');
    expect(screen.getByLabelText('Nombre completo').closest('form')).toHaveAttribute('novalidate');
    await user.click(screen.getByRole('button', { name: 'Guardar' }));

    expect(screen.getByRole('alert')).toHaveTextContent('Revisa los campos marcados.');
    const name = screen.getByLabelText('Nombre completo');
    expect(name).toHaveFocus();
    expect(name).toHaveAccessibleDescription('Escribe el nombre (hasta 100 caracteres).');
    expect(screen.getByLabelText('Correo electrónico')).toHaveAccessibleDescription('Introduce un correo electrónico válido.');
    expect(screen.getByRole('checkbox', { name: 'Recepción' })).toHaveAccessibleDescription('Elige al menos un rol.');
    expect(screen.getByLabelText('Contraseña inicial')).toHaveAttribute('aria-invalid', 'true');
    expect(server.calls('POST /api/users')).toHaveLength(0);
  });

  it('maps 422 validation errors to the right fields', async () => {
    const server = adminServer().on(
      'POST /api/users',
      problem(422, {
        errors: [
          { field: 'password', message: 'Value error, must not be only spaces' },
          { field: 'roles', message: 'List should have at least 1 item' },
        ],
      }),
    );
    await renderApp(server, '/users/new');
    const user = await fillNewUser();
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    expect(await screen.findByText('Elige al menos un rol.')).toBeInTheDocument();
    expect(screen.getByLabelText('Contraseña inicial')).toHaveAccessibleDescription(
      /La contraseña debe tener entre 8 y 128 caracteres/,
    );
  });

  it('goes back to the list with a notice once created', async () => {
    const server = adminServer()
      .on('POST /api/users', { status: 201, body: userDetail({ fullName: 'Marta Soler' }) })
      .on('GET /api/users', { status: 200, body: { member: [], view: { first: '/api/users' } } });
    const { router } = await renderApp(server, '/users/new');
    const user = await fillNewUser();
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/users'));
    expect(await screen.findByRole('status')).toHaveTextContent('Usuario creado.');
  });

  it('saves again with the same Idempotency-Key after a lost answer, a new one after a change', async () => {
    const replies: FakeReply[] = [{ timeout: true }, { network: true }];
    const server = adminServer()
      .on('POST /api/users', () => replies.shift() ?? { status: 201, body: userDetail({ fullName: 'Marta Soler' }) })
      .on('GET /api/users', { status: 200, body: { member: [], view: { first: '/api/users' } } });
    const { router } = await renderApp(server, '/users/new');
    const user = await fillNewUser();
    const save = screen.getByRole('button', { name: 'Guardar' });
    await user.click(save);
    expect(await screen.findByRole('alert')).toHaveTextContent('El servidor ha tardado demasiado en responder.');
    expect(screen.getByLabelText('Contraseña inicial')).toHaveValue('marta-pass-1');

    await user.click(screen.getByRole('checkbox', { name: 'Fisioterapeuta' }));
    await user.click(save);
    expect(await screen.findByRole('alert')).toHaveTextContent('No se puede contactar con el servidor');
    await user.click(save);
    await waitFor(() => expect(router.state.location.pathname).toBe('/users'));

    const [first, changed, retried] = server.headerOf('POST /api/users', 'Idempotency-Key');
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(changed).not.toBe(first);
    expect(retried).toBe(changed);
    expect(server.calls('POST /api/users')[2]!.body).toMatchObject({
      roles: ['ROLE_PRACTITIONER', 'ROLE_RECEPTIONIST'],
    });
  });
});

describe('editing a user', () => {
  it('sends If-Match, and on a stale edit offers to reload without losing the typing', async () => {
    let stored = userDetail({ version: 3 });
    const server = adminServer()
      .on('GET /api/users/u-laura', () => ({
        status: 200,
        body: stored,
        headers: { etag: `"${stored.version}"` },
      }))
      .on('PUT /api/users/u-laura', problem(412, { currentVersion: 4 }));
    await renderApp(server, '/users/u-laura');
    const name = await screen.findByLabelText('Nombre completo');
    expect(name).toHaveValue('Laura Martínez');
    const user = userEvent.setup();
    await user.clear(name);
    await user.type(name, 'Laura M. Ruiz');
    stored = userDetail({ version: 4, fullName: 'Laura Martínez Ruiz' });
    await user.click(screen.getByRole('button', { name: 'Guardar' }));

    expect(await screen.findByText(/Otra persona ha modificado este registro/)).toBeInTheDocument();
    expect(server.calls('PUT /api/users/u-laura')[0]!.headers.get('If-Match')).toBe('"3"');
    expect(screen.getByLabelText('Nombre completo')).toHaveValue('Laura M. Ruiz');

    await user.click(screen.getByRole('button', { name: 'Recargar' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Nombre completo')).toHaveValue('Laura Martínez Ruiz'),
    );
    expect(screen.queryByText(/Otra persona/)).not.toBeInTheDocument();
  });

  it('deactivates after a confirmation, with the stored version', async () => {
    const server = adminServer()
      .on('GET /api/users/u-laura', {
        status: 200,
        body: userDetail({ version: 2 }),
        headers: { etag: '"2"' },
      })
      .on('PUT /api/users/u-laura', (request) => ({
        status: 200,
        body: { ...userDetail({ version: 3 }), ...(request.body as object) },
        headers: { etag: '"3"' },
      }));
    await renderApp(server, '/users/u-laura');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Desactivar' }));
    expect(screen.getByText(/¿Desactivar a Laura Martínez\?/)).toBeInTheDocument();
    const confirm = screen.getAllByRole('button', { name: 'Desactivar' }).at(-1)!;
    await user.click(confirm);

    expect(await screen.findByText(/Usuario desactivado/)).toBeInTheDocument();
    const [put] = server.calls('PUT /api/users/u-laura');
    expect(put!.headers.get('If-Match')).toBe('"2"');
    expect(put!.body).toMatchObject({ active: false, email: 'fisio@demo.clinic' });
    expect(put!.body).not.toHaveProperty('password');
    expect(screen.getByRole('checkbox', { name: 'Activo' })).not.toBeChecked();
  });
});
