import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Patient } from '../../api/patients';
import { appointmentTypesReply } from '../../test/appointmentFixtures';
import { FakeServer, problem } from '../../test/fakeServer';
import { editableFields, patientRecord, practitioner, receptionist, signedIn } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';

function serverWith(initial: Patient) {
  let stored = initial;
  const server = new FakeServer()
    .on('POST /api/token/refresh', { status: 200, body: signedIn(receptionist) })
    .on('GET /api/patients/p-jose', () => ({
      status: 200,
      body: stored,
      headers: { etag: `"${stored.version}"` },
    }))
    .on('PUT /api/patients/p-jose', (request) => {
      stored = { ...stored, ...(request.body as Partial<Patient>), version: stored.version + 1 };
      return { status: 200, body: stored, headers: { etag: `"${stored.version}"` } };
    })
    .on('GET /api/appointment-types', appointmentTypesReply)
    .on('GET /api/appointments', { status: 200, body: { member: [], view: { first: '' } } })
    .on('GET /api/appointments/attendance', (request) => ({
      status: 200,
      body: { patientId: request.params.patientId, noShows: 2, lateCancellations: 1 },
    }));
  return {
    server,
    replace: (next: Patient) => {
      stored = next;
    },
  };
}

describe('patient detail', () => {
  it('shows the demographics in labelled sections', async () => {
    const { server } = serverWith(patientRecord({ referralSource: null }));
    await renderApp(server, '/patients/p-jose');
    expect(await screen.findByRole('heading', { level: 1, name: /José García Núñez/ })).toHaveTextContent(
      'Activo',
    );
    const personal = screen.getByRole('region', { name: 'Datos personales' });
    expect(within(personal).getByText('12345678Z')).toBeInTheDocument();
    expect(within(personal).getByText(/^3 may 1980 \(\d+ años\)$/)).toBeInTheDocument();
    expect(within(personal).getByText('Hombre')).toBeInTheDocument();
    const contact = screen.getByRole('region', { name: 'Contacto' });
    expect(within(contact).getByRole('link', { name: 'jose@example.com' })).toHaveAttribute(
      'href',
      'mailto:jose@example.com',
    );
    expect(within(contact).getByText('46001 Valencia')).toBeInTheDocument();
    expect(within(contact).getByText('Valencia, España')).toBeInTheDocument();
    // Phones read grouped (the API's phoneDisplay), dialled in E.164.
    expect(within(contact).getByRole('link', { name: '600 11 12 22' })).toHaveAttribute('href', 'tel:+34600111222');
    expect(within(contact).getByText('María Núñez · 600 33 34 44')).toBeInTheDocument();
    const admin = screen.getByRole('region', { name: 'Datos administrativos' });
    expect(within(admin).getAllByText('Sin indicar')).toHaveLength(2); // referral source, notes
    expect(within(admin).queryByText('Próxima cita')).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Editar' })).toHaveAttribute('href', '/patients/p-jose/edit');
  });

  it('says what counts on the patient: no-shows and late cancellations', async () => {
    const { server } = serverWith(patientRecord());
    await renderApp(server, '/patients/p-jose');
    expect(await screen.findByTestId('patient-attendance')).toHaveTextContent(
      'Faltas: 2 veces no acudió, 1 cancelación tardía',
    );
    expect(server.calls('GET /api/appointments/attendance').map((call) => call.params)).toEqual([
      { patientId: 'p-jose' },
    ]);
  });

  it('deactivates after a confirmation and reactivates, each with If-Match', async () => {
    const { server } = serverWith(patientRecord({ version: 2 }));
    await renderApp(server, '/patients/p-jose');
    const user = userEvent.setup();
    // "Desactivar" is tucked into "Más acciones"; "Pedir cita" and "Editar" come first.
    const actions = await screen.findByRole('button', { name: 'Más acciones' });
    const book = screen.getByRole('link', { name: 'Pedir cita' });
    const edit = screen.getByRole('link', { name: 'Editar' });
    expect(book.compareDocumentPosition(edit) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(edit.compareDocumentPosition(actions) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Desactivar' })).not.toBeInTheDocument();
    await user.click(actions);
    await user.click(screen.getByRole('menuitem', { name: 'Desactivar…' }));
    const question = screen.getByRole('group', { name: /¿Desactivar a José García Núñez\?/ });
    expect(question).toHaveFocus();
    await user.click(within(question).getByRole('button', { name: 'Desactivar' }));

    expect(await screen.findByText(/Paciente desactivado/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Inactivo');
    const [deactivate] = server.calls('PUT /api/patients/p-jose');
    expect(deactivate!.headers.get('If-Match')).toBe('"2"');
    expect(deactivate!.body).toEqual({ ...editableFields(patientRecord()), status: 'inactive' });

    await user.click(screen.getByRole('button', { name: 'Reactivar' }));
    expect(await screen.findByText('Paciente reactivado.')).toBeInTheDocument();
    const reactivate = server.calls('PUT /api/patients/p-jose')[1]!;
    expect(reactivate.headers.get('If-Match')).toBe('"3"');
    expect(reactivate.body).toMatchObject({ status: 'active', phone: '+34600111222' });
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Activo');
  });

  it('on a stale status change offers to reload', async () => {
    const { server, replace } = serverWith(patientRecord({ version: 1 }));
    server.on('PUT /api/patients/p-jose', problem(412, { currentVersion: 2 }));
    await renderApp(server, '/patients/p-jose');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Más acciones' }));
    await user.click(screen.getByRole('menuitem', { name: 'Desactivar…' }));
    replace(patientRecord({ version: 2, phone: '+34699000000', phoneDisplay: '699 00 00 00' }));
    await user.click(screen.getAllByRole('button', { name: 'Desactivar' }).at(-1)!);

    expect(await screen.findByText(/Otra persona ha modificado este registro/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Recargar' }));
    expect(await screen.findByRole('link', { name: '699 00 00 00' })).toBeInTheDocument();
    expect(screen.queryByText(/Otra persona/)).not.toBeInTheDocument();
  });

  it('says when the patient does not exist', async () => {
    const server = new FakeServer()
      .on('POST /api/token/refresh', { status: 200, body: signedIn(receptionist) })
      .on('GET /api/patients/p-nobody', problem(404));
    await renderApp(server, '/patients/p-nobody');
    expect(await screen.findByRole('alert')).toHaveTextContent('No se ha encontrado.');
  });

  it("shows the front desk what the patient's invoices still owe, whoever pays, with links", async () => {
    const { server } = serverWith(patientRecord());
    server.on('GET /api/invoices/balance', (request) => ({
      status: 200,
      body: { patientId: request.params.patientId, issuedInvoices: 3, outstanding: '64.50' },
    }));
    await renderApp(server, '/patients/p-jose');
    await screen.findByRole('heading', { level: 1, name: /José García Núñez/ });
    const billing = await screen.findByRole('region', { name: 'Facturación' });
    expect(await within(billing).findByTestId('patient-balance')).toHaveTextContent(
      /^3 facturas emitidas · pendiente de pago: 64,50\s€$/,
    );
    expect(within(billing).getByRole('link', { name: 'Ver las facturas pendientes' })).toHaveAttribute(
      'href',
      '/invoices?patientId=p-jose&outstanding=true',
    );
    expect(within(billing).getByRole('link', { name: 'Ver todas sus facturas' })).toHaveAttribute(
      'href',
      '/invoices?patientId=p-jose',
    );
  });

  it('offers no unpaid link when nothing is owed, and asks nothing for a practitioner', async () => {
    const { server } = serverWith(patientRecord());
    server.on('GET /api/invoices/balance', {
      status: 200,
      body: { patientId: 'p-jose', issuedInvoices: 1, outstanding: '0.00' },
    });
    await renderApp(server, '/patients/p-jose');
    await screen.findByRole('heading', { level: 1, name: /José García Núñez/ });
    const billing = await screen.findByRole('region', { name: 'Facturación' });
    expect(within(billing).queryByRole('link', { name: 'Ver las facturas pendientes' })).not.toBeInTheDocument();

    const asPractitioner = serverWith(patientRecord()).server.on('POST /api/token/refresh', {
      status: 200,
      body: signedIn(practitioner),
    });
    await renderApp(asPractitioner, '/patients/p-jose');
    expect(await screen.findAllByRole('heading', { level: 1, name: /José García Núñez/ })).not.toHaveLength(0);
    expect(asPractitioner.calls('GET /api/invoices/balance')).toHaveLength(0);
  });
});
