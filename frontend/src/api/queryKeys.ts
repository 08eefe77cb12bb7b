import type { BillableSessionSearch, CustomerSearch, InvoiceSearch } from './billing';
import type { PatientSearch } from './patients';
import type { AuditSearch } from './records';

// Every TanStack Query key of the app. Keys are hierarchical, so invalidating a prefix (`lists()`,
// `all`) refreshes every entry under it: one place decides what a change makes stale.

export const patientKeys = {
  all: ['patients'] as const,
  lists: () => [...patientKeys.all, 'list'] as const,
  list: (criteria: { q: string; fuzzy: boolean; status: PatientSearch['status']; page: number }) =>
    [...patientKeys.lists(), criteria] as const,
  detail: (id: string) => [...patientKeys.all, 'detail', id] as const,
  /** The calendar's patient search while booking. */
  picker: (query: string) => [...patientKeys.all, 'picker', query] as const,
};

export const userKeys = {
  all: ['users'] as const,
  lists: () => [...userKeys.all, 'list'] as const,
  list: (page: number) => [...userKeys.lists(), page] as const,
  detail: (id: string) => [...userKeys.all, 'detail', id] as const,
};

export const appointmentKeys = {
  all: ['appointments'] as const,
  /** What the calendar shows: every appointment in [start, end) (ISO instants). */
  range: (start: string | undefined, end: string | undefined) =>
    [...appointmentKeys.all, 'range', start, end] as const,
  /** The dashboard's day, everyone's or one practitioner's. */
  day: (date: string, practitionerId: string | undefined) =>
    [...appointmentKeys.all, 'day', date, practitionerId ?? 'all'] as const,
  /** One patient's upcoming or past appointments, split at the moment `now` (ISO). */
  patient: (patientId: string, when: 'upcoming' | 'past', now: string) =>
    [...appointmentKeys.all, 'patient', patientId, when, now] as const,
  /** One patient's no-shows and late cancellations (changes with any appointment's status). */
  attendance: (patientId: string) => [...appointmentKeys.all, 'attendance', patientId] as const,
};

export const appointmentTypeKeys = {
  all: ['appointment-types'] as const,
};

export const practitionerKeys = {
  all: ['practitioners'] as const,
};

export const workingHoursKeys = {
  of: (practitionerId: string) => ['working-hours', practitionerId] as const,
};

export const dashboardKeys = {
  stats: ['dashboard', 'stats'] as const,
};

// Billing. A payment or an issue changes an invoice, its customer's outstanding amount, the
// sessions it took and the dashboard's counters: billingKeys.all prefixes all of them but the
// dashboard's.
export const invoiceKeys = {
  all: ['billing', 'invoices'] as const,
  lists: () => [...invoiceKeys.all, 'list'] as const,
  list: (criteria: InvoiceSearch) => [...invoiceKeys.lists(), criteria] as const,
  detail: (id: string) => [...invoiceKeys.all, 'detail', id] as const,
  /** Whether the Verifactu hash chain is intact. */
  chain: () => [...invoiceKeys.all, 'chain'] as const,
  /** What a patient's invoices still owe, whoever pays them. */
  balance: (patientId: string) => [...invoiceKeys.all, 'balance', patientId] as const,
};

export const customerKeys = {
  all: ['billing', 'customers'] as const,
  lists: () => [...customerKeys.all, 'list'] as const,
  list: (criteria: CustomerSearch) => [...customerKeys.lists(), criteria] as const,
  detail: (id: string) => [...customerKeys.all, 'detail', id] as const,
};

export const billableSessionKeys = {
  all: ['billing', 'sessions'] as const,
  list: (criteria: BillableSessionSearch) => [...billableSessionKeys.all, criteria] as const,
};

export const catalogueKeys = {
  all: ['billing', 'catalogue'] as const,
};

export const billingSettingsKeys = {
  all: ['billing', 'settings'] as const,
};

export const billingKeys = {
  all: ['billing'] as const,
};

// Clinical records. Signing or amending changes the timeline, the sessions without a note and
// the dashboard's counter: recordKeys.all prefixes all of them but the dashboard's.
export const recordKeys = {
  all: ['records'] as const,
  /** A patient's timeline (paged, newest first). */
  timeline: (patientId: string) => [...recordKeys.all, 'timeline', patientId] as const,
  entry: (id: string) => [...recordKeys.all, 'entry', id] as const,
  episodes: (patientId: string) => [...recordKeys.all, 'episodes', patientId] as const,
  templates: (lang: string) => [...recordKeys.all, 'templates', lang] as const,
  sessionsWithoutNote: () => [...recordKeys.all, 'sessions-without-note'] as const,
  audit: (search: AuditSearch) => [...recordKeys.all, 'audit', search] as const,
  /** The staff accounts the audit names. */
  staff: () => [...recordKeys.all, 'staff'] as const,
};
