import type {
  BillableSession,
  CatalogueItem,
  DraftSeries,
  Invoice,
  InvoiceBody,
  InvoiceLine,
  InvoiceLineBody,
} from '../../api/billing';
import type { ApiError } from '../../api/problem';
import type { Locale, TranslationKey } from '../../i18n/catalogs';
import {
  computeTotals,
  HEALTH_CARE,
  type LineFigures,
  MONEY_SCALE,
  normaliseAmount,
  normaliseDecimal,
  PERCENT_SCALE,
  toInputDecimal,
  parseScaled,
  QUANTITY_SCALE,
  type Totals,
  type VatRate,
  vatRateOf,
} from './money';

export const DESCRIPTION_MAX = 500;
export const NOTES_MAX = 2000;

/** One line typed by hand, every number still the text typed (so nothing typed is lost). */
export interface LineValues {
  /** A stable key for React while lines are added and removed. */
  key: string;
  description: string;
  quantity: string;
  unitPrice: string;
  discountPercent: string;
  vatRate: VatRate;
}

export type LineField = Exclude<keyof LineValues, 'key'>;

/** Who the invoice is for, as far as the form needs to name them. */
export interface CustomerChoice {
  id: string;
  name: string;
}

export interface PatientChoice {
  id: string;
  fullName: string;
}

/** What the invoice form edits. */
export interface InvoiceFormValues {
  series: DraftSeries;
  patient: PatientChoice | null;
  customer: CustomerChoice | null;
  /** The billable sessions (their appointments' ids) the invoice takes, one line each. */
  sessionIds: string[];
  lines: LineValues[];
  notes: string;
}

/** A session line as the form shows and totals it. */
export interface SessionLine extends LineFigures {
  id: string;
  description: string;
  startsAt: string | null;
  payerId: string | null;
  payerName: string | null;
  /** The other draft that reserved it (it cannot be taken here). */
  reservedBy: string | null;
}

/** A field of the form as the server names it in `errors[].field`. */
export type InvoiceFieldPath =
  | 'series'
  | 'customerId'
  | 'patientId'
  | 'sessionIds'
  | 'lines'
  | 'notes'
  | `lines.${number}.${LineField}`;

export type InvoiceFieldErrors = Partial<Record<InvoiceFieldPath, TranslationKey>>;

let lastKey = 0;
/** A key no other line of this page has. */
export function newLineKey(): string {
  lastKey += 1;
  return `line-${Date.now().toString(36)}-${lastKey}`;
}

/** An empty line: one unit, no discount, exempt health care (what the clinic mostly sells). */
export function emptyLine(): LineValues {
  return { key: newLineKey(), description: '', quantity: '1', unitPrice: '', discountPercent: '0', vatRate: '0' };
}

/** A line with a catalogue item's name (in the invoice's language), price and VAT. */
export function lineFromCatalogue(item: CatalogueItem, locale: Locale): LineValues {
  return {
    key: newLineKey(),
    description: locale === 'en' ? item.nameEn : item.nameEs,
    quantity: '1',
    unitPrice: toInputDecimal(item.price, locale),
    discountPercent: '0',
    vatRate: vatRateOf(item.vatRate) ?? '0',
  };
}

/** A stored line to edit ("1.000" shown as "1", "0.00" as "0"). */
export function lineFromInvoice(line: InvoiceLine, locale: Locale): LineValues {
  const decimal = (value: string | null, raw: string) => toInputDecimal(value ?? raw, locale);
  return {
    key: newLineKey(),
    description: line.description,
    quantity: decimal(normaliseDecimal(line.quantity, QUANTITY_SCALE, { negative: true }), line.quantity),
    unitPrice: toInputDecimal(line.unitPrice, locale),
    discountPercent: decimal(normaliseDecimal(line.discountPercent, PERCENT_SCALE), line.discountPercent),
    vatRate: vatRateOf(line.vatRate) ?? '0',
  };
}

export function emptyInvoiceForm(): InvoiceFormValues {
  return { series: 'F', patient: null, customer: null, sessionIds: [], lines: [], notes: '' };
}

/** The form filled with a stored draft: its session lines as sessions, the rest as lines. */
export function invoiceFormFrom(
  invoice: Invoice,
  patientName: string | null,
  locale: Locale,
): InvoiceFormValues {
  return {
    series: invoice.series === 'S' ? 'S' : 'F',
    patient: invoice.patientId ? { id: invoice.patientId, fullName: patientName ?? '' } : null,
    customer: invoice.customerId ? { id: invoice.customerId, name: invoice.customer.name } : null,
    sessionIds: invoice.lines.flatMap((line) => (line.sessionId ? [line.sessionId] : [])),
    lines: invoice.lines.filter((line) => !line.sessionId).map((line) => lineFromInvoice(line, locale)),
    notes: invoice.notes ?? '',
  };
}

/** A billable session as a line of the form. */
export function sessionLine(session: BillableSession, invoiceId?: string): SessionLine {
  return {
    id: session.appointmentId,
    description: session.description,
    startsAt: session.startsAt,
    quantity: '1',
    unitPrice: session.price,
    discountPercent: '0',
    vatRate: session.vatRate,
    payerId: session.payerId,
    payerName: session.payerName,
    reservedBy: session.invoiceId && session.invoiceId !== invoiceId ? session.invoiceId : null,
  };
}

/** A draft's own session line (the invoice already holds its price). */
export function sessionLineOfInvoice(line: InvoiceLine): SessionLine {
  return {
    id: line.sessionId ?? '',
    description: line.description,
    startsAt: null,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    discountPercent: line.discountPercent,
    vatRate: line.vatRate,
    payerId: null,
    payerName: null,
    reservedBy: null,
  };
}

/** The totals the invoice will have: the chosen sessions' lines first, then the typed ones. */
export function formTotals(values: InvoiceFormValues, sessions: ReadonlyMap<string, SessionLine>): Totals {
  const chosen = values.sessionIds.flatMap((id) => {
    const line = sessions.get(id);
    return line ? [line] : [];
  });
  return computeTotals([...chosen, ...values.lines]);
}

/** A typed line as the API takes it: numbers normalised ("33,3" → "33.30"), exemption by rate. */
export function toLineBody(line: LineValues, options: { negative?: boolean } = {}): InvoiceLineBody {
  return {
    description: line.description.trim(),
    quantity: normaliseDecimal(line.quantity, QUANTITY_SCALE, options) ?? line.quantity.trim(),
    unitPrice: normaliseAmount(line.unitPrice) ?? line.unitPrice.trim(),
    discountPercent: normaliseDecimal(line.discountPercent || '0', PERCENT_SCALE) ?? line.discountPercent.trim(),
    vatRate: line.vatRate,
    exemption: line.vatRate === '0' ? HEALTH_CARE : null,
  };
}

/** The body of `POST /api/invoices` and of a draft's `PUT`. */
export function toInvoiceBody(values: InvoiceFormValues): InvoiceBody {
  const notes = values.notes.trim();
  return {
    series: values.series,
    customerId: values.customer?.id ?? null,
    patientId: values.patient?.id ?? null,
    lines: values.lines.map((line) => toLineBody(line)),
    sessionIds: values.sessionIds,
    notes: notes || null,
  };
}

/** The server's checks of one typed line, made before sending. */
export function lineErrors(
  line: LineValues,
  index: number,
  options: { negative?: boolean } = {},
): InvoiceFieldErrors {
  const errors: InvoiceFieldErrors = {};
  const path = (field: LineField) => `lines.${index}.${field}` as const;
  const description = line.description.trim();
  if (!description || description.length > DESCRIPTION_MAX) {
    errors[path('description')] = 'invoices.errors.description';
  }
  const quantity = parseScaled(line.quantity, QUANTITY_SCALE, options);
  if (quantity === null || quantity === 0n) errors[path('quantity')] = 'invoices.errors.quantity';
  if (parseScaled(line.unitPrice, MONEY_SCALE) === null) errors[path('unitPrice')] = 'invoices.errors.unitPrice';
  const discount = parseScaled(line.discountPercent || '0', PERCENT_SCALE);
  if (discount === null || discount > 10_000n) errors[path('discountPercent')] = 'invoices.errors.discount';
  return errors;
}

/** What must be fixed before the form is sent (the server checks the same and more). */
export function validateInvoice(values: InvoiceFormValues): InvoiceFieldErrors {
  const errors: InvoiceFieldErrors = {};
  // Only a simplified invoice may go to an anonymous final consumer.
  if (values.series === 'F' && !values.customer && !values.patient) {
    errors.customerId = 'invoices.errors.noCustomer';
  }
  if (values.sessionIds.length === 0 && values.lines.length === 0) errors.lines = 'invoices.errors.noLines';
  values.lines.forEach((line, index) => Object.assign(errors, lineErrors(line, index)));
  if (values.notes.length > NOTES_MAX) errors.notes = 'invoices.errors.notes';
  return errors;
}

const LINE_MESSAGES: Record<LineField, TranslationKey> = {
  description: 'invoices.errors.description',
  quantity: 'invoices.errors.quantity',
  unitPrice: 'invoices.errors.unitPrice',
  discountPercent: 'invoices.errors.discount',
  vatRate: 'invoices.errors.vatRate',
};

const LINE_FIELDS = Object.keys(LINE_MESSAGES) as LineField[];

/**
 * The server's field errors as messages beside the form's fields. `issuing`: the 422 came from
 * issuing, where `customerId` means the customer lacks the tax id or address an F invoice needs
 * and `series` that a simplified invoice is above 400 €.
 */
export function invoiceFieldErrors(error: ApiError, issuing = false): InvoiceFieldErrors {
  const errors: InvoiceFieldErrors = {};
  for (const { field } of error.fieldErrors) {
    const [head = '', index, sub = ''] = field.split('.');
    if (head === 'lines' && index !== undefined && /^\d+$/.test(index)) {
      // The exemption follows the rate here, so its complaint is the rate's.
      const name = sub === 'exemption' ? 'vatRate' : LINE_FIELDS.find((candidate) => candidate === sub);
      const path = `lines.${Number(index)}.${name ?? 'description'}` as const;
      errors[path] ??= name ? LINE_MESSAGES[name] : 'errors.invalidValue';
    } else if (head === 'customerId') {
      errors.customerId ??= issuing ? 'invoices.errors.customerIncomplete' : 'invoices.errors.customer';
    } else if (head === 'series') {
      errors.series ??= issuing ? 'invoices.errors.simplifiedLimit' : 'errors.invalidValue';
    } else if (head === 'sessionIds') {
      errors.sessionIds ??= 'invoices.errors.sessions';
    } else if (head === 'patientId') {
      errors.patientId ??= 'invoices.errors.patient';
    } else if (head === 'lines') {
      errors.lines ??= 'invoices.errors.noLines';
    } else if (head === 'notes') {
      errors.notes ??= 'invoices.errors.notes';
    }
  }
  return errors;
}

/** The HTML id of a field of the invoice form (`lines.2.quantity` → invoice-lines-2-quantity). */
export function invoiceFieldId(path: InvoiceFieldPath, prefix = 'invoice'): string {
  return `${prefix}-${path.replaceAll('.', '-')}`;
}
