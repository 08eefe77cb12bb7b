import { isAxiosError } from 'axios';
import { type Collection, type Full, http, type Schema, type Versioned, versioned } from './http';
import { idempotencyHeaders } from './idempotency';

// The billing service's API (docs/billing.md), typed with the names of its generated schemas.
//
// Money is always a string with two decimals ("45.00"; negative on a rectifying invoice by
// differences), quantities have three decimals and percentages two: the app never sends a JSON
// number for them (the schemas also take an integer, never a float).

/** An amount in euros as the API writes it: "45.00". */
export type Money = string;

/** `T` with the decimal fields `K` (which the API also takes as integers) always sent as strings. */
type Decimals<T, K extends keyof T> = Omit<T, K> & Record<K, string>;
/** A calendar date, "2026-03-02". */
export type IsoDate = string;

export const INVOICES_PER_PAGE = 20;
export const CUSTOMERS_PER_PAGE = 20;

export type BillingLanguage = 'es' | 'en';
export type Exemption = 'health_care';

/** `GET /api/billing-settings`: the clinic's letterhead and Verifactu switches. */
export type BillingSettings = Schema<'SettingsPublic'>;

/** `PUT /api/billing-settings` (admin): every field but the version. */
export type BillingSettingsBody = Full<Schema<'SettingsBody'>>;

/** A payer: a patient themself, a company, or an insurer ("mutua"). */
export type Customer = Schema<'CustomerPublic'>;
export type CustomerKind = Customer['kind'];

/**
 * `POST /api/customers` and `PUT /api/customers/{id}`: what staff may type about a payer (the
 * patient a customer belongs to is billing's to set, through `for-patient`).
 */
export type CustomerBody = Full<Schema<'CustomerBody'>, 'patientId'>;

export interface CustomerSearch {
  q?: string;
  kind?: CustomerKind;
  patientId?: string;
  page: number;
  itemsPerPage?: number;
}

/** A service the clinic sells, with its price and VAT (0 = exempt health care). */
export type CatalogueItem = Schema<'CatalogueItemPublic'>;

/** `PUT /api/catalogue/{code}` (admin). */
export type CatalogueBody = Decimals<Full<Schema<'CatalogueItemBody'>>, 'price' | 'vatRate'>;

/** `POST /api/catalogue` (admin). */
export type CatalogueCreate = Decimals<Full<Schema<'CatalogueItemCreate'>>, 'price' | 'vatRate'>;

/** A completed appointment waiting to be invoiced (or already on an invoice). */
export type BillableSession = Schema<'BillableSessionPublic'>;
export type BillableSessionStatus = BillableSession['status'];

export interface BillableSessionSearch {
  patientId?: string;
  payerId?: string;
  uninvoiced?: boolean;
  from?: IsoDate;
  to?: IsoDate;
  page?: number;
}

export type Invoice = Schema<'InvoicePublic'>;
/** An invoice in a list: without its lines, payments and breakdown. */
export type InvoiceSummary = Schema<'InvoiceSummary'>;
export type InvoiceSeries = Invoice['series'];
export type InvoiceStatus = Invoice['status'];
export type InvoiceLine = Schema<'LinePublic'>;
export type VatBreakdown = Schema<'BreakdownPublic'>;
export type Payment = Schema<'PaymentPublic'>;
export type PaymentMethod = Payment['method'];
export type RectificationMethod = Schema<'RectificationPublic'>['method'];
export type ReasonCode = Schema<'RectificationPublic'>['reasonCode'];

/** A line as sent: the server computes the amount. */
export type InvoiceLineBody = Decimals<
  Full<Schema<'LineBody'>>,
  'quantity' | 'unitPrice' | 'discountPercent' | 'vatRate'
>;

/**
 * `POST /api/invoices` (a draft) and `PUT /api/invoices/{id}` (drafts only). Session lines come
 * first (one per session, priced as the session was), then `lines` typed by hand. With a patient
 * and no customer, the customer is the patient's own; with neither, a simplified invoice goes to
 * an anonymous final consumer.
 */
export type InvoiceBody = Omit<Full<Schema<'InvoiceBody'>>, 'lines'> & { lines: InvoiceLineBody[] };
/** The series a new invoice may take (R only comes from rectifying). */
export type DraftSeries = InvoiceBody['series'];

/** `POST /api/invoices/{id}/rectify`: no lines with `differences` cancels the invoice in full. */
export type RectifyBody = Omit<Full<Schema<'RectifyBody'>, 'lines'>, 'lines'> & { lines?: InvoiceLineBody[] };

/** `POST /api/invoices/{id}/payments` (the app always says the day). */
export type PaymentBody = Decimals<Full<Schema<'PaymentBody'>>, 'amount'>;

export interface InvoiceSearch {
  q?: string;
  status?: InvoiceStatus;
  series?: InvoiceSeries;
  customerId?: string;
  patientId?: string;
  from?: IsoDate;
  to?: IsoDate;
  outstanding?: boolean;
  page: number;
}

/** `GET /api/invoices/chain/verify`: whether the Verifactu records still chain, hash by hash. */
export type ChainVerification = Schema<'ChainVerifyPublic'>;

/**
 * billing's extra counters on the dashboard (`GET /api/dashboard/stats`, when billing answered:
 * it refuses practitioners, and then sends none). `totalInvoices` is one of the fixed counters.
 */
export interface BillingStats {
  // Billing's StatsPublic schema, written out: its namespaced name would read as a string key.
  issuedThisMonth?: number;
  outstandingAmount?: Money;
}

// ---------------------------------------------------------------- requests

const invoicePath = (id: string) => `/api/invoices/${encodeURIComponent(id)}`;
const customerPath = (id: string) => `/api/customers/${encodeURIComponent(id)}`;
const ifMatch = (etag: string) => ({ 'If-Match': etag });

/** The query parameters of `search`, without the empty ones. */
function params(search: object): Record<string, string | number | boolean> {
  const entries = Object.entries(search).filter(
    ([, value]) => value !== undefined && value !== null && value !== '' && value !== false,
  );
  return Object.fromEntries(entries) as Record<string, string | number | boolean>;
}

/** One page of invoices, newest first (drafts first): no total, the view says if more exist. */
export async function listInvoices(search: InvoiceSearch): Promise<Collection<InvoiceSummary>> {
  const { data } = await http.get<Collection<InvoiceSummary>>('/api/invoices', {
    params: params({ ...search, itemsPerPage: INVOICES_PER_PAGE }),
  });
  return data;
}

/** One invoice with its ETag (a draft's PUT and its issue need it). */
export async function getInvoice(id: string): Promise<Versioned<Invoice>> {
  return versioned(await http.get<Invoice>(invoicePath(id)));
}

/** Save a new draft (`idempotencyKey`: a retry of the same body creates no second one). */
export async function createInvoice(body: InvoiceBody, idempotencyKey?: string): Promise<Versioned<Invoice>> {
  return versioned(
    await http.post<Invoice>('/api/invoices', body, { headers: idempotencyHeaders(idempotencyKey) }),
  );
}

/** Replace a draft if nobody changed it since `etag` (412 otherwise; 409 once it is issued). */
export async function updateInvoice(id: string, body: InvoiceBody, etag: string): Promise<Versioned<Invoice>> {
  return versioned(await http.put<Invoice>(invoicePath(id), body, { headers: ifMatch(etag) }));
}

/** Discard a draft, releasing its sessions (an issued invoice is 409, always; 412 if stale). */
export async function deleteInvoice(id: string, etag?: string): Promise<void> {
  await http.delete(invoicePath(id), { headers: etag ? ifMatch(etag) : {} });
}

/** Issue a draft: it takes the series' next number and today's date, and can no longer change. */
export async function issueInvoice(id: string, etag: string): Promise<Versioned<Invoice>> {
  return versioned(await http.post<Invoice>(`${invoicePath(id)}/issue`, null, { headers: ifMatch(etag) }));
}

/** Issue a rectifying invoice (series R) for `id`. */
export async function rectifyInvoice(
  id: string,
  body: RectifyBody,
  idempotencyKey?: string,
): Promise<Invoice | null> {
  const { data } = await http.post<Invoice | ''>(`${invoicePath(id)}/rectify`, body, {
    headers: idempotencyHeaders(idempotencyKey),
  });
  return data && typeof data === 'object' ? data : null;
}

/**
 * Record a payment of an issued invoice (none on a draft or when nothing is owed: 409; none above
 * the balance: 422 `amount`; `paidOn` from the issue date to today, else 422 `paidOn`). Answers the
 * invoice as it now stands.
 */
export async function recordPayment(
  id: string,
  body: PaymentBody,
  idempotencyKey?: string,
): Promise<Versioned<Invoice> | null> {
  const response = await http.post<Invoice | ''>(`${invoicePath(id)}/payments`, body, {
    headers: idempotencyHeaders(idempotencyKey),
  });
  const invoice = response.data;
  return invoice && typeof invoice === 'object' && 'version' in invoice
    ? versioned({ ...response, data: invoice })
    : null;
}

/** Whether the Verifactu hash chain is intact, or where it first breaks. */
export async function verifyChain(): Promise<ChainVerification> {
  const { data } = await http.get<ChainVerification>('/api/invoices/chain/verify');
  return data;
}

/** A patient's issued invoices and what they still owe, whoever the payer. */
export interface PatientBalance {
  patientId: string;
  issuedInvoices: number;
  /** Euros, two decimals ("64.50"). */
  outstanding: string;
}

/** What a patient's issued invoices still owe (`GET /api/invoices/balance`). */
export async function getPatientBalance(patientId: string): Promise<PatientBalance> {
  const { data } = await http.get<PatientBalance>('/api/invoices/balance', { params: { patientId } });
  return data;
}

/** One page of customers by name (`q`: any word's prefix, accents ignored, or the tax id). */
export async function listCustomers(search: CustomerSearch): Promise<Collection<Customer>> {
  const { itemsPerPage = CUSTOMERS_PER_PAGE, ...rest } = search;
  const { data } = await http.get<Collection<Customer>>('/api/customers', {
    params: params({ ...rest, itemsPerPage }),
  });
  return data;
}

export async function getCustomer(id: string): Promise<Versioned<Customer>> {
  return versioned(await http.get<Customer>(customerPath(id)));
}

/** Create a payer (422 `taxId` when its check letter is wrong). */
export async function createCustomer(body: CustomerBody, idempotencyKey?: string): Promise<Customer> {
  const { data } = await http.post<Customer>('/api/customers', body, {
    headers: idempotencyHeaders(idempotencyKey),
  });
  return data;
}

export async function updateCustomer(id: string, body: CustomerBody, etag: string): Promise<Versioned<Customer>> {
  return versioned(await http.put<Customer>(customerPath(id), body, { headers: ifMatch(etag) }));
}

/** Delete a customer without invoices (409 once one was issued to them). */
export async function deleteCustomer(id: string): Promise<void> {
  await http.delete(customerPath(id));
}

/** The patient's own customer, made on demand from billing's copy of the patient. */
export async function customerForPatient(patientId: string): Promise<Customer> {
  const { data } = await http.post<Customer>(
    `/api/customers/for-patient/${encodeURIComponent(patientId)}`,
  );
  return data;
}

/** Every catalogue item (a clinic has tens: no pages). */
export async function listCatalogue(): Promise<CatalogueItem[]> {
  const { data } = await http.get<CatalogueItem[] | Collection<CatalogueItem>>('/api/catalogue');
  return Array.isArray(data) ? data : data.member;
}

export async function createCatalogueItem(body: CatalogueCreate, idempotencyKey?: string): Promise<CatalogueItem> {
  const { data } = await http.post<CatalogueItem>('/api/catalogue', body, {
    headers: idempotencyHeaders(idempotencyKey),
  });
  return data;
}

export async function updateCatalogueItem(
  code: string,
  body: CatalogueBody,
  etag: string,
): Promise<CatalogueItem> {
  const { data } = await http.put<CatalogueItem>(`/api/catalogue/${encodeURIComponent(code)}`, body, {
    headers: ifMatch(etag),
  });
  return data;
}

/** Completed sessions, oldest first (`uninvoiced`: only those no invoice has taken). */
export async function listBillableSessions(
  search: BillableSessionSearch,
): Promise<Collection<BillableSession>> {
  const { data } = await http.get<Collection<BillableSession>>('/api/billable-sessions', {
    params: params({ itemsPerPage: 100, ...search }),
  });
  return data;
}

export async function getBillingSettings(): Promise<Versioned<BillingSettings>> {
  return versioned(await http.get<BillingSettings>('/api/billing-settings'));
}

export async function updateBillingSettings(
  body: BillingSettingsBody,
  etag: string,
): Promise<Versioned<BillingSettings>> {
  return versioned(await http.put<BillingSettings>('/api/billing-settings', body, { headers: ifMatch(etag) }));
}

// ---------------------------------------------------------------- files

/** A file the API sent (a PDF, a CSV) with the name it suggested. */
export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

/** The file name of a `Content-Disposition` header (`filename*=UTF-8''…` or `filename="…"`). */
export function filenameFrom(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]+)"|filename\s*=\s*([^;\s]+)/.exec(header);
  return plain?.[1] ?? plain?.[2] ?? null;
}

/**
 * A failed download's body arrives as a Blob like the file would: read it back into the problem
 * document, so `toApiError` sees the status and the server's `errors[]` as for any other call.
 */
async function withProblemBody(error: unknown): Promise<unknown> {
  if (!isAxiosError(error) || !(error.response?.data instanceof Blob)) return error;
  try {
    error.response.data = JSON.parse(await error.response.data.text()) as unknown;
  } catch {
    error.response.data = {};
  }
  return error;
}

/**
 * Fetch a file through the shared client, so it carries the Bearer token (a plain link could
 * not: the token lives only in memory) and a 401 refreshes the session like any other call.
 */
async function download(
  url: string,
  query: Record<string, string>,
  accept: string,
  fallbackName: string,
): Promise<DownloadedFile> {
  try {
    const response = await http.get<Blob>(url, {
      params: query,
      responseType: 'blob',
      headers: { Accept: `${accept}, application/problem+json` },
      timeout: 60_000,
    });
    const blob = response.data instanceof Blob ? response.data : new Blob([response.data], { type: accept });
    return { blob, filename: filenameFrom(response.headers['content-disposition']) ?? fallbackName };
  } catch (error) {
    throw await withProblemBody(error);
  }
}

/** The invoice as a PDF (a draft is marked DRAFT, without number or QR). */
export function downloadInvoicePdf(id: string): Promise<DownloadedFile> {
  return download(`${invoicePath(id)}/export/pdf`, {}, 'application/pdf', `invoice-${id.slice(0, 8)}.pdf`);
}

/** The sales book ("libro registro de facturas expedidas") of [from, to] as a CSV for spreadsheets. */
export function downloadSalesBook(from: IsoDate, to: IsoDate): Promise<DownloadedFile> {
  return download('/api/invoices/sales-book.csv', { from, to }, 'text/csv', `sales-book-${from}-${to}.csv`);
}
