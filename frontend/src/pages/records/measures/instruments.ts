import type { Direction, InstrumentCode, Measure, MeasureCreate } from '../../../api/records';
import type { FieldError } from '../../../api/problem';
import type { TranslationKey } from '../../../i18n/catalogs';

/** The longest PSFS activity name the API takes (services/records' ACTIVITY_MAX_LENGTH). */
export const ACTIVITY_MAX = 100;

/**
 * What the form needs to know of each instrument (mirrors services/records' domain/measures.py):
 * how many items, each item's range, how many may be left unanswered, and the score's scale.
 */
export interface InstrumentSpec {
  code: InstrumentCode;
  label: TranslationKey;
  kind: 'items' | 'activities' | 'single';
  items: number;
  min: number;
  max: number;
  maxMissing: number;
  decimals: boolean;
  scoreMax: number;
  direction: Direction;
  mcid: number;
}

export const INSTRUMENT_SPECS: Record<InstrumentCode, InstrumentSpec> = {
  ODI: { code: 'ODI', label: 'measures.instrument.ODI', kind: 'items', items: 10, min: 0, max: 5, maxMissing: 2, decimals: false, scoreMax: 100, direction: 'lower_is_better', mcid: 10 },
  NDI: { code: 'NDI', label: 'measures.instrument.NDI', kind: 'items', items: 10, min: 0, max: 5, maxMissing: 2, decimals: false, scoreMax: 50, direction: 'lower_is_better', mcid: 7.5 },
  QuickDASH: { code: 'QuickDASH', label: 'measures.instrument.QuickDASH', kind: 'items', items: 11, min: 1, max: 5, maxMissing: 1, decimals: false, scoreMax: 100, direction: 'lower_is_better', mcid: 8 },
  PSFS: { code: 'PSFS', label: 'measures.instrument.PSFS', kind: 'activities', items: 5, min: 0, max: 10, maxMissing: 0, decimals: false, scoreMax: 10, direction: 'higher_is_better', mcid: 2 },
  VAS: { code: 'VAS', label: 'measures.instrument.VAS', kind: 'single', items: 1, min: 0, max: 10, maxMissing: 0, decimals: true, scoreMax: 10, direction: 'lower_is_better', mcid: 1.5 },
  NPRS: { code: 'NPRS', label: 'measures.instrument.NPRS', kind: 'single', items: 1, min: 0, max: 10, maxMissing: 0, decimals: false, scoreMax: 10, direction: 'lower_is_better', mcid: 2 },
};

/*
 * Each item's short heading, in the instrument's order: ODI 2.1a's ten sections, the NDI's ten
 * sections, QuickDASH's eleven items. Short headings only, never the items' full wording or
 * answer statements: the questionnaires' wording is copyrighted (ODI © Jeremy Fairbank; NDI ©
 * Howard Vernon; QuickDASH © Institute for Work & Health) and the patient answers on the
 * clinic's licensed form; the dialog only records each answer against its section's heading.
 */
const ODI_ITEMS = ['pain', 'personalCare', 'lifting', 'walking', 'sitting', 'standing', 'sleeping', 'sexLife', 'socialLife', 'travelling'] as const;
const NDI_ITEMS = ['pain', 'personalCare', 'lifting', 'reading', 'headaches', 'concentration', 'work', 'driving', 'sleeping', 'recreation'] as const;
const QUICKDASH_ITEMS = ['tightJar', 'heavyChores', 'carryBag', 'washBack', 'knife', 'forcefulRecreation', 'socialActivities', 'workLimited', 'pain', 'tingling', 'sleeping'] as const;

const ITEM_LABELS: Partial<Record<InstrumentCode, readonly TranslationKey[]>> = {
  ODI: ODI_ITEMS.map((item) => `measures.items.ODI.${item}` as const),
  NDI: NDI_ITEMS.map((item) => `measures.items.NDI.${item}` as const),
  QuickDASH: QUICKDASH_ITEMS.map((item) => `measures.items.QuickDASH.${item}` as const),
};

/** The heading of item `index` (0-based) of a questionnaire of several items (ODI, NDI, QuickDASH). */
export function itemLabel(code: InstrumentCode, index: number): TranslationKey | undefined {
  return ITEM_LABELS[code]?.[index];
}

/** What was typed for one instrument: each item's value ('' = not answered) and PSFS's activity names. */
export interface InstrumentAnswers {
  values: string[];
  activities: string[];
}

export function emptyAnswers(spec: InstrumentSpec): InstrumentAnswers {
  return { values: Array<string>(spec.items).fill(''), activities: Array<string>(spec.items).fill('') };
}

/**
 * Where a problem sits: `takenOn`, `episodeId`, `instrument`, `answers` (as a whole), `item.<i>`
 * (an answer) or `activity.<i>` (the name of a PSFS activity).
 */
export type MeasureErrors = Record<string, TranslationKey>;

const filled = (text: string | undefined) => (text ?? '').trim() !== '';

/** The rows the body carries, by their index in the form (PSFS: the rows with a name or a rating). */
function sentRows(spec: InstrumentSpec, answers: InstrumentAnswers): number[] {
  const all = answers.values.map((_, index) => index);
  if (spec.kind !== 'activities') return all;
  return all.filter((index) => filled(answers.values[index]) || filled(answers.activities[index]));
}

function validNumber(spec: InstrumentSpec, raw: string): boolean {
  const value = Number(raw.replace(',', '.'));
  if (!Number.isFinite(value) || value < spec.min || value > spec.max) return false;
  return spec.decimals ? Math.round(value * 10) === value * 10 : Number.isInteger(value);
}

/** What the browser can tell before asking the server (an empty object when nothing). */
export function checkAnswers(spec: InstrumentSpec, answers: InstrumentAnswers): MeasureErrors {
  const errors: MeasureErrors = {};
  const rows = sentRows(spec, answers);
  const rangeError = spec.decimals ? 'measures.errors.rangeDecimal' : 'measures.errors.range';
  rows.forEach((index) => {
    const raw = answers.values[index]!.trim();
    if (raw !== '' && !validNumber(spec, raw)) errors[`item.${index}`] = rangeError;
  });
  if (spec.kind === 'activities') {
    // Every PSFS row sent has both: the activity's name and its rating.
    rows.forEach((index) => {
      if (!filled(answers.values[index])) errors[`item.${index}`] = 'measures.errors.activityRating';
      const name = (answers.activities[index] ?? '').trim();
      if (name === '' || name.length > ACTIVITY_MAX) errors[`activity.${index}`] = 'measures.errors.activityName';
    });
    if (rows.length === 0) errors.answers = 'measures.errors.psfsNone';
    return errors;
  }
  const missing = rows.filter((index) => answers.values[index]!.trim() === '').length;
  if (spec.kind === 'single' && missing > 0) errors['item.0'] = rangeError;
  else if (missing > spec.maxMissing) errors.answers = 'measures.errors.tooManyMissing';
  return errors;
}

/** The body's `answers` (null = not answered). */
export function answersBody(spec: InstrumentSpec, answers: InstrumentAnswers): (number | null)[] {
  return sentRows(spec, answers).map((index) => {
    const raw = answers.values[index]!.trim();
    return raw === '' ? null : Number(raw.replace(',', '.'));
  });
}

/** The server's field errors placed at the form's inputs (`answers.3` / `activities.3` are the 4th row sent). */
export function serverErrors(
  spec: InstrumentSpec,
  answers: InstrumentAnswers,
  fieldErrors: readonly FieldError[],
): MeasureErrors {
  const rows = sentRows(spec, answers);
  const errors: MeasureErrors = {};
  for (const { field } of fieldErrors) {
    const item = /^answers\.(\d+)/.exec(field);
    const activity = /^activities\.(\d+)/.exec(field);
    if (item) {
      const row = rows[Number(item[1])];
      if (row !== undefined) errors[`item.${row}`] = spec.decimals ? 'measures.errors.rangeDecimal' : 'measures.errors.range';
      else errors.answers = 'measures.errors.answers';
    } else if (activity) {
      const row = rows[Number(activity[1])];
      if (row !== undefined) errors[`activity.${row}`] = 'measures.errors.activityName';
      else errors.answers = 'measures.errors.activities';
    } else if (field === 'activities') errors.answers = 'measures.errors.activities';
    else if (field === 'answers') errors.answers = 'measures.errors.answers';
    else if (field === 'takenOn') errors.takenOn = 'measures.errors.takenOn';
    else if (field === 'episodeId') errors.episodeId = 'measures.errors.episode';
    else if (field === 'instrument') errors.instrument = 'measures.errors.instrument';
    else errors.answers = 'measures.errors.answers';
  }
  return errors;
}

export function measureBody(
  patientId: string,
  episodeId: string,
  instrument: InstrumentCode,
  answers: InstrumentAnswers,
  takenOn: string,
): MeasureCreate {
  const spec = INSTRUMENT_SPECS[instrument];
  const body: MeasureCreate = {
    patientId,
    episodeId: episodeId || null,
    instrument,
    answers: answersBody(spec, answers),
    takenOn: takenOn || null,
  };
  // Only the PSFS names its activities (the API refuses names for any other instrument).
  if (spec.kind === 'activities') {
    body.activities = sentRows(spec, answers).map((index) => (answers.activities[index] ?? '').trim());
  }
  return body;
}

/** The score a chart compares with: baseline − MCID when lower is better, + MCID otherwise (kept on the scale). */
export function mcidTarget(baseline: number, measure: Pick<Measure, 'direction' | 'mcid' | 'scoreMax'>): number {
  const target = measure.direction === 'lower_is_better' ? baseline - measure.mcid : baseline + measure.mcid;
  return Math.min(measure.scoreMax, Math.max(0, target));
}

/** "Subir escaleras: 3 · Correr: 8", a PSFS measure's activities with their ratings ('' for other instruments). */
export function activitiesSummary(measure: Measure, separator = ' · '): string {
  const names = measure.activities ?? [];
  return names.map((name, index) => `${name}: ${measure.answers[index] ?? '—'}`).join(separator);
}
