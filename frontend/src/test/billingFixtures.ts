import type {
  BillableSession,
  BillingSettings,
  CatalogueItem,
  Customer,
  Invoice,
  InvoiceSummary,
} from '../api/billing';
import type { SessionUser } from '../auth/types';
import { FakeServer, type FakeReply } from './fakeServer';
import { receptionist, signedIn } from './fixtures';

// The billing API as docs/billing.md describes it, answered by the fake gateway.

/** A page of any collection (`next` when another page exists). */
export function collectionPage<T>(member: T[], next = false, path = '/api/items'): FakeReply {
  return {
    status: 200,
    body: { member, view: { first: `${path}?page=1`, ...(next ? { next: `${path}?page=2` } : {}) } },
  };
}

/** A resource with its ETag, as `GET /api/…/{id}` answers it. */
export function withEtag<T extends { version: number }>(resource: T): FakeReply {
  return { status: 200, body: resource, headers: { etag: `"${resource.version}"` } };
}

/** José García Núñez's own customer (made from the patient p-jose). */
export function customerRecord(overrides: Partial<Customer> = {}): Customer {
  return {
    id: 'c-jose',
    kind: 'person',
    name: 'José García Núñez',
    taxId: '12345678Z',
    address: 'Calle Mayor 1',
    postalCode: '46001',
    city: 'Valencia',
    province: 'Valencia',
    country: 'ES',
    email: 'jose@example.com',
    phone: '+34600111222',
    language: 'es',
    patientId: 'p-jose',
    insurerId: null,
    insurerName: null,
    active: true,
    outstanding: '0.00',
    version: 1,
    ...overrides,
    // Computed by the API from the phone (grouped), unless a test says otherwise.
    phoneDisplay:
      overrides.phoneDisplay !== undefined ? overrides.phoneDisplay : overrides.phone === undefined ? '600 11 12 22' : (overrides.phone ?? null),
  };
}

export const insurer: Customer = customerRecord({
  id: 'c-mutua',
  kind: 'insurer',
  name: 'Mutua Levante',
  taxId: 'A58818501',
  address: 'Avenida del Puerto 5',
  postalCode: '46023',
  patientId: null,
  email: 'facturas@mutua.example',
  phone: null,
});

/** One of José's completed sessions, waiting to be invoiced. */
export function sessionRecord(overrides: Partial<BillableSession> = {}): BillableSession {
  return {
    appointmentId: 'a-1',
    patientId: 'p-jose',
    patientName: 'José García Núñez',
    practitionerId: 'u-laura',
    appointmentType: 'follow_up',
    serviceCode: 'FIS',
    description: 'Sesión de fisioterapia',
    startsAt: '2026-03-02T09:00:00Z',
    price: '40.00',
    vatRate: '0.00',
    exemption: 'health_care',
    payerId: null,
    payerName: null,
    status: 'uninvoiced',
    invoiceId: null,
    ...overrides,
  };
}

/** An issued invoice of one physiotherapy session, unpaid. */
export function invoiceRecord(overrides: Partial<Invoice> = {}): Invoice {
  return {
    id: 'i-1',
    series: 'F',
    number: 'F2026000001',
    status: 'issued',
    customerId: 'c-jose',
    patientId: 'p-jose',
    customer: {
      name: 'José García Núñez',
      taxId: '12345678Z',
      address: 'Calle Mayor 1, 46001 Valencia',
      email: 'jose@example.com',
    },
    language: 'es',
    issuedOn: '2026-03-02',
    notes: null,
    lines: [
      {
        description: 'Sesión de fisioterapia 02/03/2026',
        quantity: '1.000',
        unitPrice: '40.00',
        discountPercent: '0.00',
        vatRate: '0.00',
        exemption: 'health_care',
        amount: '40.00',
        sessionId: 'a-1',
      },
    ],
    breakdown: [
      {
        vatRate: '0.00',
        exemption: 'health_care',
        exemptionText: 'Operación exenta de IVA en virtud del artículo 20.Uno.3º de la Ley 37/1992.',
        base: '40.00',
        tax: '0.00',
      },
    ],
    base: '40.00',
    tax: '0.00',
    total: '40.00',
    paid: '0.00',
    balance: '40.00',
    rectifies: null,
    rectification: null,
    rectifiedBy: [],
    payments: [],
    verifactu: { hash: '3C464DAF61ACB827C65FDA19F352A4E3BDC2C640E9E9FC4CC058073F38F12F60', qrUrl: 'https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345674&numserie=F2026000001' },
    version: 2,
    ...overrides,
  };
}

/** A draft of `invoiceRecord`'s session: no number, no date, nothing paid. */
export function draftRecord(overrides: Partial<Invoice> = {}): Invoice {
  return invoiceRecord({
    id: 'i-draft',
    number: null,
    status: 'draft',
    issuedOn: null,
    verifactu: null,
    version: 1,
    ...overrides,
  });
}

/** An invoice as the list shows it (without lines, payments and breakdown). */
export function invoiceSummary(invoice: Invoice): InvoiceSummary {
  const { lines: _lines, payments: _payments, breakdown: _breakdown, ...summary } = invoice;
  return summary;
}

export const catalogue: CatalogueItem[] = [
  {
    code: 'FIS',
    nameEs: 'Sesión de fisioterapia',
    nameEn: 'Physiotherapy session',
    price: '40.00',
    vatRate: '0.00',
    exemption: 'health_care',
    appointmentType: 'follow_up',
    active: true,
    version: 1,
  },
  {
    code: 'BAN',
    nameEs: 'Banda elástica de resistencia',
    nameEn: 'Resistance band',
    price: '12.00',
    vatRate: '21.00',
    exemption: null,
    appointmentType: null,
    active: true,
    version: 3,
  },
];

export function settingsRecord(overrides: Partial<BillingSettings> = {}): BillingSettings {
  return {
    legalName: 'Fisioterapia Demo, S.L.',
    taxId: 'B12345674',
    address: 'Calle de Alcalá 120, 28009 Madrid',
    email: 'facturas@fisio-demo.example.es',
    phone: '+34 910 000 000',
    logo: null,
    invoiceFooter: 'Inscrita en el Registro Mercantil de Madrid.',
    defaultLanguage: 'es',
    verifactuEnabled: true,
    qrEnvironment: 'test',
    version: 3,
    ...overrides,
  };
}

/** A fake gateway for `user` (the front desk by default) with billing's always-asked routes. */
export function billingServer(user: SessionUser = receptionist): FakeServer {
  return new FakeServer()
    .on('POST /api/token/refresh', { status: 200, body: signedIn(user) })
    .on('GET /api/invoices/chain/verify', {
      status: 200,
      body: { ok: true, records: 12, issuers: 1, firstBreak: null },
    })
    .on('GET /api/catalogue', { status: 200, body: { member: catalogue } });
}
