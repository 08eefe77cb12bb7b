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
    .on('GET /api/appointments', { status: 200, body: { member: [], view: { first: '' } } });
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
    expect(within(contact).getByText('María Núñez · 600 333 444')).toBeInTheDocument();
    const admin = screen.getByRole('region', { name: 'Datos administrativos' });
    expect(within(admin).getAllByText('Sin indicar')).toHaveLength(2); // referral source, notes
    expect(within(admin).queryByText('Próxima cita')).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Editar' })).toHaveAttribute('href', '/patients/p-jose/edit');
  });

  it('deactivates after a confirmation and reactivates, each with If-Match', async () => {
    const { server } = serverWith(patientRecord({ version: 2 }));
    await renderApp(server, '/patients/p-jose');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Desactivar' }));
    expect(screen.getByText(/¿Desactivar a José García Núñez\?/)).toBeInTheDocument();
    await user.click(screen.getAllByRole('button', { name: 'Desactivar' }).at(-1)!);

    expect(await screen.findByText(/Paciente desactivado/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Inactivo');
    const [deactivate] = server.calls('PUT /api/patients/p-jose');
    expect(deactivate!.headers.get('If-Match')).toBe('"2"');
    expect(deactivate!.body).toEqual({ ...editableFields(patientRecord()), status: 'inactive' });

    await user.click(screen.getByRole('button', { name: 'Reactivar' }));
    expect(await screen.findByText('Paciente reactivado.')).toBeInTheDocument();
    const reactivate = server.calls('PUT /api/patients/p-jose')[1]!;
    expect(reactivate.headers.get('If-Match')).toBe('"3"');
    expect(reactivate.body).toMatchObject({ status: 'active', phone: '600 111 222' });
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Activo');
  });

  it('on a stale status change offers to reload', async () => {
    const { server, replace } = serverWith(patientRecord({ version: 1 }));
    server.on('PUT /api/patients/p-jose', problem(412, { currentVersion: 2 }));
    await renderApp(server, '/patients/p-jose');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Desactivar' }));
    replace(patientRecord({ version: 2, phone: '699 000 000' }));
    await user.click(screen.getAllByRole('button', { name: 'Desactivar' }).at(-1)!);

    expect(await screen.findByText(/Otra persona ha modificado este registro/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Recargar' }));
    expect(await screen.findByRole('link', { name: '699 000 000' })).toBeInTheDocument();
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
