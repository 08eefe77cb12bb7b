import type { PatientStatus, Sex } from '../../api/patients';
import type { TranslationKey } from '../../i18n/catalogs';

export const SEX_LABELS: Record<Sex, TranslationKey> = {
  female: 'patients.sex.female',
  male: 'patients.sex.male',
  other: 'patients.sex.other',
};

export const STATUS_LABELS: Record<PatientStatus, TranslationKey> = {
  active: 'patients.status.active',
  inactive: 'patients.status.inactive',
};

/** A message carried to the patient's page in the history state after a successful change. */
export type PatientNotice = 'patientCreated' | 'patientSaved';

export const NOTICE_MESSAGES: Record<PatientNotice, TranslationKey> = {
  patientCreated: 'patients.created',
  patientSaved: 'patients.saved',
};

declare module '@tanstack/react-router' {
  interface HistoryState {
    patientNotice?: PatientNotice;
  }
}
