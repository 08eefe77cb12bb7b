import type {
  CustomerKind,
  InvoiceSeries,
  InvoiceStatus,
  PaymentMethod,
  ReasonCode,
  RectificationMethod,
} from '../../api/billing';
import type { TranslationKey } from '../../i18n/catalogs';
import type { Translate } from '../../i18n/i18n';

/** Who an invoice is for: an anonymous simplified invoice has no name ("Consumidor final"). */
export function recipientName(name: string, t: Translate): string {
  return name.trim() || t('invoices.finalConsumer');
}

export const INVOICE_STATUSES: readonly InvoiceStatus[] = ['draft', 'issued', 'partially_paid', 'paid'];

export const STATUS_LABELS: Record<InvoiceStatus, TranslationKey> = {
  draft: 'invoices.status.draft',
  issued: 'invoices.status.issued',
  partially_paid: 'invoices.status.partiallyPaid',
  paid: 'invoices.status.paid',
};

export const SERIES: readonly InvoiceSeries[] = ['F', 'S', 'R'];

export const SERIES_LABELS: Record<InvoiceSeries, TranslationKey> = {
  F: 'invoices.series.full',
  S: 'invoices.series.simplified',
  R: 'invoices.series.rectifying',
};

export const PAYMENT_METHODS: readonly PaymentMethod[] = ['cash', 'card', 'transfer', 'bizum', 'insurer'];

export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, TranslationKey> = {
  cash: 'invoices.payment.method.cash',
  card: 'invoices.payment.method.card',
  transfer: 'invoices.payment.method.transfer',
  bizum: 'invoices.payment.method.bizum',
  insurer: 'invoices.payment.method.insurer',
};

export const CUSTOMER_KINDS: readonly CustomerKind[] = ['person', 'company', 'insurer'];

export const CUSTOMER_KIND_LABELS: Record<CustomerKind, TranslationKey> = {
  person: 'customers.kind.person',
  company: 'customers.kind.company',
  insurer: 'customers.kind.insurer',
};

export const RECTIFICATION_METHOD_LABELS: Record<RectificationMethod, TranslationKey> = {
  substitution: 'invoices.rectify.method.substitution',
  differences: 'invoices.rectify.method.differences',
};

export const REASON_CODES: readonly ReasonCode[] = ['R1', 'R2', 'R3', 'R4', 'R5'];

/** RD 1619/2012 art. 15 and Verifactu's TipoFactura: why an invoice is rectified. */
export const REASON_LABELS: Record<ReasonCode, TranslationKey> = {
  R1: 'invoices.rectify.reason.lawError',
  R2: 'invoices.rectify.reason.insolvency',
  R3: 'invoices.rectify.reason.badDebt',
  R4: 'invoices.rectify.reason.other',
  R5: 'invoices.rectify.reason.simplified',
};

/** A message carried to an invoice's or customer's page in the history state after a change. */
export type BillingNotice =
  | 'invoiceSaved'
  | 'invoiceIssued'
  | 'invoiceDiscarded'
  | 'invoiceRectifying'
  | 'customerCreated'
  | 'customerSaved'
  | 'customerDeleted';

export const BILLING_NOTICES: Record<BillingNotice, TranslationKey> = {
  invoiceSaved: 'invoices.notice.saved',
  invoiceIssued: 'invoices.notice.issued',
  invoiceDiscarded: 'invoices.notice.discarded',
  invoiceRectifying: 'invoices.notice.rectifying',
  customerCreated: 'customers.notice.created',
  customerSaved: 'customers.notice.saved',
  customerDeleted: 'customers.notice.deleted',
};

declare module '@tanstack/react-router' {
  interface HistoryState {
    billingNotice?: BillingNotice;
  }
}
