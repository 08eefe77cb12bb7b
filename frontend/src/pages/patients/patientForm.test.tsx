import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { type FakeReply, FakeServer, problem } from '../../test/fakeServer';
import { editableFields, patientRecord, practitioner, signedIn } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';

function staffServer(): FakeServer {
  return new FakeServer().on('POST /api/token/refresh', { status: 200, body: signedIn(practitioner) });
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function typeNames(first = 'José', last = 'García Núñez') {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText('Nombre'), first);
  await user.type(screen.getByLabelText('Apellidos'), last);
  return user;
}

describe('registering a patient', () => {
  it('checks the fields before sending, like the server', async () => {
    const server = staffServer();
    await renderApp(server, '/patients/new');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Guardar' }));

    const firstName = screen.getByLabelText('Nombre');
    expect(firstName).toHaveAttribute('aria-invalid', 'true');
    expect(firstName).toHaveAccessibleDescription('Escribe el nombre (hasta 50 caracteres).');
    expect(firstName).toHaveFocus();
    expect(screen.getByLabelText('Apellidos')).toHaveAccessibleDescription(
      /Escribe los apellidos \(hasta 100 caracteres\)/,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Revisa los campos marcados.');

    await user.type(firstName, 'José');
    expect(firstName).not.toHaveAttribute('aria-invalid');
    await user.type(screen.getByLabelText('Apellidos'), 'García Núñez');
    await user.type(screen.getByLabelText('DNI/NIE u otro documento'), '12345678A');
    fireEvent.change(screen.getByLabelText('Fecha de nacimiento'), { target: { value: '2999-01-01' } });
    await user.type(screen.getByLabelText('Correo electrónico'), 'jose@');
    await user.click(screen.getByRole('button', { name: 'Guardar' }));

    const taxId = screen.getByLabelText('DNI/NIE u otro documento');
    expect(taxId).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('La letra de este DNI/NIE no es correcta.')).toBeInTheDocument();
    expect(screen.getByText('Introduce una fecha válida, desde 1900 y no futura.')).toBeInTheDocument();
    expect(screen.getByText('Introduce un correo electrónico válido.')).toBeInTheDocument();
    expect(taxId).toHaveFocus();
    expect(server.calls('POST /api/patients')).toHaveLength(0);

    // An NIE with its right letter, or a passport, passes.
    await user.clear(taxId);
    await user.type(taxId, 'x1234567l');
    expect(taxId).not.toHaveAttribute('aria-invalid');
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    expect(screen.queryByText('La letra de este DNI/NIE no es correcta.')).not.toBeInTheDocument();
    expect(server.calls('POST /api/patients')).toHaveLength(0);
  });

  it('shows the server’s field errors beside their fields, nested ones too, keeping the typing', async () => {
    const server = staffServer().on(
      'POST /api/patients',
      problem(422, {
        errors: [
          { field: 'address.postalCode', message: 'String should have at most 10 characters' },
          { field: 'emergencyContact.phone', message: 'String should have at most 20 characters' },
          { field: 'email', message: 'value is not a valid email address' },
        ],
      }),
    );
    await renderApp(server, '/patients/new');
    const user = await typeNames();
    await user.type(screen.getByLabelText('Código postal'), '46001-XYZ');
    // The country is an ISO code, chosen by its name; a new address starts in Spain.
    const country = screen.getByLabelText('País');
    expect(country).toHaveDisplayValue('España');
    await user.selectOptions(country, 'Portugal');
    await user.type(screen.getByLabelText('Teléfono del contacto'), '600 333 444');
    await user.type(screen.getByLabelText('Correo electrónico'), 'jose@example.com');
    await user.click(screen.getByRole('checkbox', { name: /consentimiento/ }));
    await user.click(screen.getByRole('button', { name: 'Guardar' }));

    const postalCode = screen.getByLabelText('Código postal');
    await waitFor(() => expect(postalCode).toHaveAttribute('aria-invalid', 'true'));
    expect(postalCode).toHaveAccessibleDescription(/Código postal no válido/);
    expect(screen.getByLabelText('Teléfono del contacto')).toHaveAccessibleDescription(
      /Introduce un teléfono válido/,
    );
    expect(screen.getByLabelText('Correo electrónico')).toHaveAccessibleDescription(
      'Introduce un correo electrónico válido.',
    );
    expect(screen.getByLabelText('Localidad')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByRole('alert')).toHaveTextContent('Revisa los campos marcados.');
    expect(postalCode).toHaveValue('46001-XYZ');
    expect(screen.getByLabelText('Nombre')).toHaveValue('José');
    expect(server.calls('POST /api/patients')[0]!.body).toMatchObject({
      firstName: 'José',
      lastName: 'García Núñez',
      email: 'jose@example.com',
      address: { postalCode: '46001-XYZ', street: null, city: null, province: null, country: 'PT' },
      emergencyContact: { name: null, phone: '600 333 444' },
      dataConsentAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    expect(screen.getByRole('checkbox', { name: /consentimiento/ })).toBeChecked();
  });

  it('on a tax id already registered, says so and links to that patient', async () => {
    const server = staffServer().on(
      'POST /api/patients',
      problem(409, {
        errors: [{ field: 'taxId', message: 'is already registered' }],
        existingPatientId: 'p-jose',
      }),
    );
    await renderApp(server, '/patients/new');
    const user = await typeNames('Pepe', 'García');
    await user.type(screen.getByLabelText('DNI/NIE u otro documento'), '12345678z');
    await user.click(screen.getByRole('button', { name: 'Guardar' }));

    expect(await screen.findByText('Ya hay un paciente registrado con este documento.')).toBeInTheDocument();
    const link = screen.getByRole('link', { name: /Ver el paciente ya registrado/ });
    expect(link).toHaveAttribute('href', '/patients/p-jose');
    expect(link).toHaveAttribute('target', '_blank');
    expect(server.calls('POST /api/patients')[0]!.body).toMatchObject({ taxId: '12345678Z' });
  });

  it('warns about a possible duplicate before saving, and lets the user go on', async () => {
    const created = patientRecord({ id: 'p-new', version: 1 });
    const server = staffServer()
      .on('POST /api/patients/duplicate-check', {
        status: 200,
        body: {
          member: [
            { id: 'p-jose', fullName: 'José García Núñez', birthDate: '1980-05-03', taxId: null, reason: 'similarName' },
          ],
        },
      })
      .on('POST /api/patients', { status: 201, body: { ...created, possibleDuplicates: [] } })
      .on('GET /api/patients/p-new', { status: 200, body: created, headers: { etag: '"1"' } });
    const { router } = await renderApp(server, '/patients/new');
    const user = await typeNames('Jose', 'Garcia Nunez');
    fireEvent.change(screen.getByLabelText('Fecha de nacimiento'), { target: { value: '1980-05-03' } });
    await user.tab();

    expect(await screen.findByText('Puede que este paciente ya esté registrado:')).toBeInTheDocument();
    const link = screen.getByRole('link', { name: /José García Núñez/ });
    expect(link).toHaveAttribute('href', '/patients/p-jose');
    expect(link).toHaveAttribute('target', '_blank');
    expect(screen.getByText(/nombre parecido/)).toBeInTheDocument();
    expect(server.calls('POST /api/patients/duplicate-check').at(-1)!.body).toEqual({
      firstName: 'Jose',
      lastName: 'Garcia Nunez',
      birthDate: '1980-05-03',
    });

    // Leaving a field without changing anything does not ask again.
    const asked = server.calls('POST /api/patients/duplicate-check').length;
    await user.click(screen.getByLabelText('Nombre'));
    await user.tab();
    expect(server.calls('POST /api/patients/duplicate-check')).toHaveLength(asked);

    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/patients/p-new'));
    expect(await screen.findByText('Paciente registrado.')).toBeInTheDocument();
  });
});

function editServer(version = 1) {
  let stored = patientRecord({ version });
  const server = staffServer()
    .on('GET /api/patients/p-jose', () => ({
      status: 200,
      body: stored,
      headers: { etag: `"${stored.version}"` },
    }))
    .on('POST /api/patients/duplicate-check', { status: 200, body: { member: [] } });
  return {
    server,
    store: (next: ReturnType<typeof patientRecord>) => {
      stored = next;
    },
  };
}

/** Answers each creating POST from `replies`, then registers the patient (a replayed answer). */
function retryServer(replies: FakeReply[]) {
  const created = patientRecord({ id: 'p-new', version: 1 });
  return staffServer()
    .on('POST /api/patients/duplicate-check', { status: 200, body: { member: [] } })
    .on('POST /api/patients', () =>
      replies.shift() ?? {
        status: 201,
        body: { ...created, possibleDuplicates: [] },
        headers: { 'idempotent-replayed': 'true' },
      },
    )
    .on('GET /api/patients/p-new', { status: 200, body: created, headers: { etag: '"1"' } });
}

describe('registering a patient again after a lost answer', () => {
  it('sends the same Idempotency-Key and body again, so the patient is registered once', async () => {
    const server = retryServer([{ network: true }, { timeout: true }]);
    const { router } = await renderApp(server, '/patients/new');
    const user = await typeNames();
    await user.click(screen.getByRole('checkbox', { name: /consentimiento/ }));
    const save = screen.getByRole('button', { name: 'Guardar' });
    await user.click(save);
    expect(await screen.findByRole('alert')).toHaveTextContent('No se puede contactar con el servidor');
    expect(screen.getByLabelText('Nombre')).toHaveValue('José');

    // Later: a new consent is still stamped with the first try's time, so the body is the same.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await user.click(save);
    expect(await screen.findByText('El servidor ha tardado demasiado en responder.')).toBeInTheDocument();
    await user.click(save);
    await waitFor(() => expect(router.state.location.pathname).toBe('/patients/p-new'));
    expect(await screen.findByText('Paciente registrado.')).toBeInTheDocument();

    const keys = server.headerOf('POST /api/patients', 'Idempotency-Key');
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(UUID_V4);
    expect(new Set(keys).size).toBe(1);
    const [first, ...retries] = server.calls('POST /api/patients').map((call) => call.body);
    expect(first).toMatchObject({ firstName: 'José', dataConsentAt: expect.any(String) });
    for (const body of retries) expect(body).toEqual(first);
    // Only creating requests carry a key.
    for (const key of server.headerOf('POST /api/patients/duplicate-check', 'Idempotency-Key')) {
      expect(key).toBeUndefined();
    }
  });

  it('says when the first try is still being saved, and sends a changed form with a new key', async () => {
    const server = retryServer([
      { network: true },
      problem(409, { detail: 'The first request with this Idempotency-Key is still being processed.' }),
    ]);
    const { router } = await renderApp(server, '/patients/new');
    const user = await typeNames();
    const save = screen.getByRole('button', { name: 'Guardar' });
    await user.click(save);
    expect(await screen.findByRole('alert')).toHaveTextContent('No se puede contactar con el servidor');
    await user.click(save);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Todavía se está guardando lo que enviaste antes. Espera unos segundos y vuelve a intentarlo',
    );
    expect(screen.getByLabelText('Apellidos')).toHaveValue('García Núñez');

    await user.type(screen.getByLabelText('Teléfono'), '600 111 222');
    await user.click(save);
    await waitFor(() => expect(router.state.location.pathname).toBe('/patients/p-new'));

    const [first, retry, changed] = server.headerOf('POST /api/patients', 'Idempotency-Key');
    expect(retry).toBe(first);
    expect(changed).toMatch(UUID_V4);
    expect(changed).not.toBe(first);
    expect(server.calls('POST /api/patients')[2]!.body).toMatchObject({ phone: '600 111 222' });
  });
});

describe('editing a patient', () => {
  it('sends the whole patient with If-Match, then shows the change', async () => {
    const { server, store } = editServer(3);
    server.on('PUT /api/patients/p-jose', (request) => {
      // The API stores the phone in E.164 and groups it for reading.
      const saved = { ...patientRecord({ version: 4 }), ...(request.body as object), phone: '+34611222333', phoneDisplay: '611 22 23 33' };
      store(saved);
      return { status: 200, body: saved, headers: { etag: '"4"' } };
    });
    const { router } = await renderApp(server, '/patients/p-jose/edit');
    const phone = await screen.findByLabelText('Teléfono');
    // Edited as it reads, grouped.
    expect(phone).toHaveValue('600 11 12 22');
    const user = userEvent.setup();
    await user.clear(phone);
    await user.type(phone, '611 222 333');
    await user.click(screen.getByRole('button', { name: 'Guardar' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/patients/p-jose'));
    expect(await screen.findByText('Cambios guardados.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '611 22 23 33' })).toHaveAttribute('href', 'tel:+34611222333');
    const [put] = server.calls('PUT /api/patients/p-jose');
    expect(put!.headers.get('If-Match')).toBe('"3"');
    expect(put!.body).toEqual({
      ...editableFields(patientRecord()),
      phone: '611 222 333',
      emergencyContact: { name: 'María Núñez', phone: '600 33 34 44' },
    });
  });

  it('on a stale edit keeps what was typed and offers to reload', async () => {
    const { server, store } = editServer(1);
    server.on('PUT /api/patients/p-jose', problem(412, { currentVersion: 2 }));
    await renderApp(server, '/patients/p-jose/edit');
    const phone = await screen.findByLabelText('Teléfono');
    const user = userEvent.setup();
    await user.clear(phone);
    await user.type(phone, '611 222 333');
    await user.type(screen.getByLabelText('Notas administrativas'), 'Prefiere tardes');
    store(patientRecord({ version: 2, phone: '+34699000000', phoneDisplay: '699 00 00 00' }));
    await user.click(screen.getByRole('button', { name: 'Guardar' }));

    expect(await screen.findByText(/Otra persona ha modificado este registro/)).toBeInTheDocument();
    expect(screen.queryByText('Revisa los campos marcados.')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Teléfono')).toHaveValue('611 222 333');
    expect(screen.getByLabelText('Notas administrativas')).toHaveValue('Prefiere tardes');

    await user.click(screen.getByRole('button', { name: 'Recargar' }));
    await waitFor(() => expect(screen.getByLabelText('Teléfono')).toHaveValue('699 00 00 00'));
    expect(screen.queryByText(/Otra persona/)).not.toBeInTheDocument();
    expect(screen.getByLabelText('Notas administrativas')).toHaveValue('');
  });
});
