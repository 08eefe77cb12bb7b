import type { Direction, InstrumentCode, Measure, MeasureCreate } from '../../../api/records';
import type { FieldError } from '../../../api/problem';
import type { TranslationKey } from '../../../i18n/catalogs';

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

/** What was typed for one instrument: each item's value ('' = not answered) and PSFS's activity names. */
export interface InstrumentAnswers {
  values: string[];
  activities: string[];
}

export function emptyAnswers(spec: InstrumentSpec): InstrumentAnswers {
  return { values: Array<string>(spec.items).fill(''), activities: Array<string>(spec.items).fill('') };
}

/** Where a problem sits: `takenOn`, `episodeId`, `instrument`, `answers` (as a whole) or `item.<i>`. */
export type MeasureErrors = Record<string, TranslationKey>;

/** The rows the body carries, by their index in the form (PSFS sends only the rated activities). */
function sentRows(spec: InstrumentSpec, answers: InstrumentAnswers): number[] {
  const all = answers.values.map((_, index) => index);
  return spec.kind === 'activities' ? all.filter((index) => answers.values[index]!.trim() !== '') : all;
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
  rows.forEach((index) => {
    const raw = answers.values[index]!.trim();
    if (raw !== '' && !validNumber(spec, raw)) errors[`item.${index}`] = spec.decimals ? 'measures.errors.rangeDecimal' : 'measures.errors.range';
  });
  const missing = rows.filter((index) => answers.values[index]!.trim() === '').length;
  if (spec.kind === 'activities' && rows.length === 0) errors.answers = 'measures.errors.psfsNone';
  else if (spec.kind === 'single' && missing > 0) errors['item.0'] = spec.decimals ? 'measures.errors.rangeDecimal' : 'measures.errors.range';
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

/** The server's field errors placed at the form's inputs (`answers.3` is the 4th row sent). */
export function serverErrors(
  spec: InstrumentSpec,
  answers: InstrumentAnswers,
  fieldErrors: readonly FieldError[],
): MeasureErrors {
  const rows = sentRows(spec, answers);
  const errors: MeasureErrors = {};
  for (const { field } of fieldErrors) {
    const item = /^answers\.(\d+)/.exec(field);
    if (item) {
      const row = rows[Number(item[1])];
      if (row !== undefined) errors[`item.${row}`] = spec.decimals ? 'measures.errors.rangeDecimal' : 'measures.errors.range';
      else errors.answers = 'measures.errors.answers';
    } else if (field === 'answers') errors.answers = 'measures.errors.answers';
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
  return {
    patientId,
    episodeId: episodeId || null,
    instrument,
    answers: answersBody(spec, answers),
    takenOn: takenOn || null,
  };
}

/** The score a chart compares with: baseline − MCID when lower is better, + MCID otherwise (kept on the scale). */
export function mcidTarget(baseline: number, measure: Pick<Measure, 'direction' | 'mcid' | 'scoreMax'>): number {
  const target = measure.direction === 'lower_is_better' ? baseline - measure.mcid : baseline + measure.mcid;
  return Math.min(measure.scoreMax, Math.max(0, target));
}
