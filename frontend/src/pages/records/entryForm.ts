import {
  type Entry,
  type EntryBody,
  type EntryCreate,
  type EntryType,
  ENTRY_TYPES,
  PAIN_MAX,
  type RecordTemplate,
  SOAP_SECTIONS,
  type SoapSection,
} from '../../api/records';
import { type ApiError, fieldErrorsByName } from '../../api/problem';
import type { TranslationKey } from '../../i18n/catalogs';
import { isRealDate, localIsoDate } from '../../lib/dates';

/** What the SOAP form holds: text as typed ('' for nothing chosen). */
export interface EntryFormValues {
  patientId: string;
  type: EntryType;
  date: string;
  episodeId: string;
  appointmentId: string;
  subjective: string;
  objective: string;
  assessment: string;
  plan: string;
  painVas: string;
}

export type EntryField = 'type' | 'date' | 'episodeId' | 'appointmentId' | 'painVas' | SoapSection;
export type EntryFieldErrors = Partial<Record<EntryField, TranslationKey>>;

const FIELDS: readonly EntryField[] = ['type', 'date', 'episodeId', 'appointmentId', ...SOAP_SECTIONS, 'painVas'];

/** The id of field `field`'s control (errors focus it). */
export const entryFieldId = (field: EntryField) => `entry-${field}`;

/** A blank note for `patientId`, dated today, of a session (`appointmentId`) when given. */
export function emptyEntryForm(
  patientId: string,
  start: { appointmentId?: string | undefined; date?: string | undefined; episodeId?: string | undefined } = {},
): EntryFormValues {
  return {
    patientId,
    // A note written for a session is a treatment session's note; otherwise the first visit's.
    type: start.appointmentId ? 'treatment' : 'assessment',
    date: start.date && isRealDate(start.date) ? start.date : localIsoDate(),
    episodeId: start.episodeId ?? '',
    appointmentId: start.appointmentId ?? '',
    subjective: '',
    objective: '',
    assessment: '',
    plan: '',
    painVas: '',
  };
}

/** A stored draft in the form. */
export function entryFormOf(entry: Entry): EntryFormValues {
  return {
    patientId: entry.patientId,
    type: entry.type,
    date: entry.date,
    episodeId: entry.episodeId ?? '',
    appointmentId: entry.appointmentId ?? '',
    subjective: entry.subjective ?? '',
    objective: entry.objective ?? '',
    assessment: entry.assessment ?? '',
    plan: entry.plan ?? '',
    painVas: entry.painVas === null ? '' : String(entry.painVas),
  };
}

const orNull = (text: string) => (text.trim() ? text : null);

/** What a PUT sends. */
export function toEntryBody(values: EntryFormValues): EntryBody {
  const pain = values.painVas.trim();
  return {
    type: values.type,
    date: values.date,
    appointmentId: values.appointmentId || null,
    episodeId: values.episodeId || null,
    subjective: orNull(values.subjective),
    objective: orNull(values.objective),
    assessment: orNull(values.assessment),
    plan: orNull(values.plan),
    painVas: pain === '' ? null : Number(pain),
  };
}

/** What the POST of a new draft sends. */
export function toEntryCreate(values: EntryFormValues): EntryCreate {
  return { patientId: values.patientId, ...toEntryBody(values) };
}

/**
 * The sections after choosing template `next` (the previous type's was `previous`): a section
 * still empty, or still holding the previous template's text untouched, takes the new template's;
 * anything typed stays as it is.
 */
export function applyTemplate(
  values: EntryFormValues,
  previous: RecordTemplate | undefined,
  next: RecordTemplate | undefined,
): EntryFormValues {
  const changed = { ...values };
  for (const section of SOAP_SECTIONS) {
    const current = values[section];
    const untouched = current.trim() === '' || current === (previous?.[section] ?? '');
    if (untouched) changed[section] = next?.[section] ?? '';
  }
  return changed;
}

/** Whether the form holds anything beyond the template of its type (worth saving). */
export function hasContent(values: EntryFormValues, template: RecordTemplate | undefined): boolean {
  return (
    values.painVas.trim() !== '' ||
    SOAP_SECTIONS.some((section) => values[section].trim() !== '' && values[section] !== (template?.[section] ?? ''))
  );
}

export function isEntryType(value: string): value is EntryType {
  return (ENTRY_TYPES as readonly string[]).includes(value);
}

/** The errors the form can tell before sending (the server has the last word). */
export function validateEntry(values: EntryFormValues, today = localIsoDate()): EntryFieldErrors {
  const errors: EntryFieldErrors = {};
  if (!isRealDate(values.date)) errors.date = 'records.errors.date';
  else if (values.date > today) errors.date = 'records.errors.futureDate';
  const pain = values.painVas.trim();
  if (pain !== '' && !(/^\d{1,2}$/.test(pain) && Number(pain) <= PAIN_MAX)) errors.painVas = 'records.errors.painVas';
  return errors;
}

/** The server's 422 field errors, as the form's messages. */
export function entryFieldErrors(error: ApiError): EntryFieldErrors {
  if (error.status !== 422) return {};
  const errors: EntryFieldErrors = {};
  for (const [name] of fieldErrorsByName(error)) {
    const field = FIELDS.find((candidate) => candidate === name);
    if (!field) continue;
    errors[field] =
      field === 'date'
        ? 'records.errors.date'
        : field === 'painVas'
          ? 'records.errors.painVas'
          : field === 'episodeId'
            ? 'records.errors.episode'
            : 'errors.invalidValue';
  }
  return errors;
}

/** The first field with an error, in the form's order (to move the focus there). */
export function firstErrorField(errors: EntryFieldErrors): EntryField | undefined {
  return FIELDS.find((field) => errors[field]);
}
