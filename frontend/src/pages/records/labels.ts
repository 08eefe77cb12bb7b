import type { EntryType, SoapSection } from '../../api/records';
import type { TranslationKey } from '../../i18n/catalogs';

export const ENTRY_TYPE_LABELS: Record<EntryType, TranslationKey> = {
  assessment: 'records.type.assessment',
  treatment: 'records.type.treatment',
  evolution: 'records.type.evolution',
  discharge: 'records.type.discharge',
  note: 'records.type.note',
};

export const SECTION_LABELS: Record<SoapSection, TranslationKey> = {
  subjective: 'records.section.subjective',
  objective: 'records.section.objective',
  assessment: 'records.section.assessment',
  plan: 'records.section.plan',
};

/** A message carried to the patient's page in the history state after a note was saved. */
export type RecordsNotice = 'entrySaved' | 'entrySigned';

export const RECORDS_NOTICE_MESSAGES: Record<RecordsNotice, TranslationKey> = {
  entrySaved: 'records.notice.saved',
  entrySigned: 'records.notice.signed',
};

declare module '@tanstack/react-router' {
  interface HistoryState {
    recordsNotice?: RecordsNotice;
  }
}
