import type { CustomerKind, InvoiceSeries, InvoiceStatus } from '../../api/billing';
import { isRealDate } from '../../lib/dates';
import { CUSTOMER_KINDS, INVOICE_STATUSES, SERIES } from './labels';

/** What the invoice list keeps in its URL, so a search survives reloads and the back button. */
export interface InvoiceListSearch {
  q?: string;
  status?: InvoiceStatus;
  series?: InvoiceSeries;
  from?: string;
  to?: string;
  outstanding?: boolean;
  customerId?: string;
  patientId?: string;
  page?: number;
}

/** What the customer list keeps in its URL. */
export interface CustomerListSearch {
  q?: string;
  kind?: CustomerKind;
  page?: number;
}

/** Where the new-invoice form starts: a patient (and one of their sessions), or a customer. */
export interface InvoiceCreateSearch {
  patientId?: string;
  sessionId?: string;
  customerId?: string;
}

const oneOf = <T extends string>(values: readonly T[], value: unknown): T | undefined =>
  values.find((candidate) => candidate === value);

// A query of digits (an invoice number's) comes back from the URL as a number.
function text(value: unknown): string | undefined {
  const string = typeof value === 'number' ? String(value) : value;
  return typeof string === 'string' && string.trim() ? string : undefined;
}

function pageOf(value: unknown): number | undefined {
  const page = Number(value);
  return Number.isInteger(page) && page > 1 ? page : undefined;
}

function dateOf(value: unknown): string | undefined {
  return typeof value === 'string' && isRealDate(value) ? value : undefined;
}

/** Drop the undefined members, so the URL only says what was chosen. */
function defined<T extends object>(search: T): T {
  return Object.fromEntries(Object.entries(search).filter(([, value]) => value !== undefined)) as T;
}

export function parseInvoiceListSearch(search: Record<string, unknown>): InvoiceListSearch {
  return defined({
    q: text(search.q),
    status: oneOf(INVOICE_STATUSES, search.status),
    series: oneOf(SERIES, search.series),
    from: dateOf(search.from),
    to: dateOf(search.to),
    outstanding: search.outstanding === true || search.outstanding === 'true' ? true : undefined,
    customerId: text(search.customerId),
    patientId: text(search.patientId),
    page: pageOf(search.page),
  });
}

export function parseCustomerListSearch(search: Record<string, unknown>): CustomerListSearch {
  return defined({
    q: text(search.q),
    kind: oneOf(CUSTOMER_KINDS, search.kind),
    page: pageOf(search.page),
  });
}

export function parseInvoiceCreateSearch(search: Record<string, unknown>): InvoiceCreateSearch {
  return defined({
    patientId: text(search.patientId),
    sessionId: text(search.sessionId),
    customerId: text(search.customerId),
  });
}
