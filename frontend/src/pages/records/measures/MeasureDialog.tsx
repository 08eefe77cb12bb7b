import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useIdempotencyKey } from '../../../api/idempotency';
import { errorMessage, toApiError } from '../../../api/problem';
import { type Episode, INSTRUMENTS, type InstrumentCode, type MeasureCreate, recordMeasure } from '../../../api/records';
import { useSession } from '../../../auth/SessionContext';
import { Alert } from '../../../components/Alert';
import { Field, SelectField } from '../../../components/Field';
import { Modal } from '../../../components/Modal';
import { primaryButton, secondaryButton } from '../../../components/styles';
import { formatCalendarDate } from '../../../i18n/format';
import { useI18n } from '../../../i18n/useI18n';
import { localIsoDate } from '../../../lib/dates';
import { keptForm, useKeepOnExpiry } from '../../billing/keptForm';
import {
  ACTIVITY_MAX,
  checkAnswers,
  emptyAnswers,
  INSTRUMENT_SPECS,
  type InstrumentAnswers,
  itemLabel,
  type MeasureErrors,
  measureBody,
  serverErrors,
} from './instruments';
import { measureKeys } from './keys';
import { DateField } from '../../../components/DateField';

interface MeasureForm {
  instrument: InstrumentCode;
  episodeId: string;
  takenOn: string;
  /** What was typed per instrument, so switching instruments loses nothing. */
  answers: Partial<Record<InstrumentCode, InstrumentAnswers>>;
}

interface MeasureDialogProps {
  patientId: string;
  episodes: Episode[];
  /** The episode it is recorded from (or '' for the patient without one). */
  episodeId: string;
  onClose: () => void;
  onRecorded: () => void;
}

/** "Record a measure": an instrument, its answers item by item, the date and the episode. */
export function MeasureDialog({ patientId, episodes, episodeId, onClose, onRecorded }: MeasureDialogProps) {
  const { t, locale } = useI18n();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const idempotency = useIdempotencyKey();
  const keptName = `measure.${patientId}`;
  const [form, setForm] = useState<MeasureForm>(
    () => keptForm<MeasureForm>(keptName, user?.id) ?? { instrument: 'ODI', episodeId, takenOn: localIsoDate(), answers: {} },
  );
  useKeepOnExpiry(keptName, form);
  const [errors, setErrors] = useState<MeasureErrors>({});
  const spec = INSTRUMENT_SPECS[form.instrument];
  const answers = form.answers[form.instrument] ?? emptyAnswers(spec);

  const record = useMutation({
    mutationFn: (body: MeasureCreate) => recordMeasure(body, idempotency.keyFor(body)),
    onSuccess: async (measure) => {
      idempotency.reset();
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: measureKeys.list(patientId) }),
        measure.instrument === 'VAS' || measure.instrument === 'NPRS'
          ? queryClient.invalidateQueries({ queryKey: measureKeys.pain(patientId) })
          : null,
        measure.episodeId ? queryClient.invalidateQueries({ queryKey: measureKeys.outcomes(measure.episodeId) }) : null,
      ]);
      onRecorded();
    },
    onError: (error) => {
      const problem = toApiError(error);
      if (problem.status === 422 || problem.status === 400) setErrors(serverErrors(spec, answers, problem.fieldErrors));
    },
  });
  const failure = record.error ? toApiError(record.error) : null;

  function setAnswers(change: (current: InstrumentAnswers) => InstrumentAnswers) {
    setForm((current) => {
      const now = current.answers[current.instrument] ?? emptyAnswers(INSTRUMENT_SPECS[current.instrument]);
      return { ...current, answers: { ...current.answers, [current.instrument]: change(now) } };
    });
  }

  function setValue(index: number, value: string) {
    setErrors(({ [`item.${index}`]: _gone, answers: _all, ...rest }) => rest);
    setAnswers((current) => ({ ...current, values: current.values.map((v, i) => (i === index ? value : v)) }));
  }

  function setActivity(index: number, name: string) {
    setErrors(({ [`activity.${index}`]: _gone, answers: _all, ...rest }) => rest);
    setAnswers((current) => ({ ...current, activities: current.activities.map((a, i) => (i === index ? name : a)) }));
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = checkAnswers(spec, answers);
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      const id = /^(item|activity)\./.test(first) ? `measure-${first.replace('.', '-')}` : `measure-${first}`;
      document.getElementById(id)?.focus();
      return;
    }
    record.mutate(measureBody(patientId, form.episodeId, form.instrument, answers, form.takenOn));
  }

  const itemError = (index: number) => {
    const key = errors[`item.${index}`];
    return key ? t(key, { min: spec.min, max: spec.max }) : undefined;
  };
  const range = { min: spec.min, max: spec.max };
  const itemName = (index: number) => {
    const heading = itemLabel(form.instrument, index);
    return heading ? t(heading) : String(index + 1);
  };
  const itemIds = answers.values.map((_, index) => `${form.instrument}-${index}`);

  return (
    <Modal title={t('measures.record')} closeLabel={t('common.close')} onClose={onClose}>
      <form onSubmit={submit} noValidate className="flex flex-col gap-4" aria-busy={record.isPending}>
        {failure && (
          <Alert>{failure.status === 422 || failure.status === 400 ? t('errors.validation') : errorMessage(failure, t)}</Alert>
        )}
        <SelectField
          id="measure-instrument"
          label={t('measures.instrumentLabel')}
          value={form.instrument}
          data-autofocus
          error={errors.instrument ? t(errors.instrument) : undefined}
          onChange={(event) => {
            setErrors({});
            setForm((current) => ({ ...current, instrument: event.target.value as InstrumentCode }));
          }}
        >
          {INSTRUMENTS.map((code) => (
            <option key={code} value={code}>
              {t(INSTRUMENT_SPECS[code].label)}
            </option>
          ))}
        </SelectField>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <SelectField
            id="measure-episodeId"
            label={t('measures.episode')}
            value={form.episodeId}
            error={errors.episodeId ? t(errors.episodeId) : undefined}
            onChange={(event) => {
              const value = event.target.value;
              setErrors(({ episodeId: _gone, ...rest }) => rest);
              setForm((current) => ({ ...current, episodeId: value }));
            }}
          >
            <option value="">{t('measures.noEpisode')}</option>
            {episodes.map((episode) => (
              <option key={episode.id} value={episode.id}>
                {episode.reason} · {formatCalendarDate(episode.openedOn, locale)}
              </option>
            ))}
          </SelectField>
          <DateField
            id="measure-takenOn"
            label={t('measures.takenOn')}
            max={localIsoDate()}
            value={form.takenOn}
            error={errors.takenOn ? t(errors.takenOn) : undefined}
            onChange={(value) => {
              setErrors(({ takenOn: _gone, ...rest }) => rest);
              setForm((current) => ({ ...current, takenOn: value }));
            }}
          />
        </div>
        <fieldset className="flex flex-col gap-3" aria-describedby={errors.answers ? 'measure-answers-error' : 'measure-answers-hint'}>
          <legend className="mb-1 text-sm font-semibold text-slate-800">{t('measures.answers')}</legend>
          <p id="measure-answers-hint" className="text-sm text-slate-600">
            {spec.kind === 'items'
              ? t('measures.hint.items', { ...range, missing: spec.maxMissing })
              : spec.kind === 'activities'
                ? t('measures.hint.psfs')
                : t(spec.decimals ? 'measures.hint.vas' : 'measures.hint.nprs')}
          </p>
          {errors.answers && (
            <p id="measure-answers-error" tabIndex={-1} className="text-sm font-medium text-red-700">
              {t(errors.answers, { missing: spec.maxMissing })}
            </p>
          )}
          {spec.kind === 'items' && (
            <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
              {itemIds.map((itemId, index) => (
                <SelectField
                  key={itemId}
                  id={`measure-item-${index}`}
                  label={t('measures.item', { n: index + 1, name: itemName(index), ...range })}
                  value={answers.values[index] ?? ''}
                  error={itemError(index)}
                  onChange={(event) => setValue(index, event.target.value)}
                >
                  <option value="">{t('measures.notAnswered')}</option>
                  {Array.from({ length: spec.max - spec.min + 1 }, (_, step) => spec.min + step).map((option) => (
                    <option key={option} value={String(option)}>
                      {option}
                    </option>
                  ))}
                </SelectField>
              ))}
            </div>
          )}
          {spec.kind === 'activities' &&
            itemIds.map((itemId, index) => (
              <div
                key={itemId}
                className="grid grid-cols-[1fr_6rem] items-start gap-2"
              >
                <Field
                  id={`measure-activity-${index}`}
                  label={t('measures.activity', { n: index + 1 })}
                  maxLength={ACTIVITY_MAX}
                  autoComplete="off"
                  value={answers.activities[index] ?? ''}
                  error={errors[`activity.${index}`] ? t(errors[`activity.${index}`]!) : undefined}
                  onChange={(event) => setActivity(index, event.target.value)}
                />
                <Field
                  id={`measure-item-${index}`}
                  label={t('measures.rating', { n: index + 1 })}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={10}
                  step={1}
                  value={answers.values[index] ?? ''}
                  error={itemError(index)}
                  onChange={(event) => setValue(index, event.target.value)}
                />
              </div>
            ))}
          {spec.kind === 'single' && (
            <Field
              id="measure-item-0"
              label={t(spec.decimals ? 'measures.vasValue' : 'measures.nprsValue')}
              type="number"
              inputMode={spec.decimals ? 'decimal' : 'numeric'}
              min={0}
              max={10}
              step={spec.decimals ? 0.1 : 1}
              value={answers.values[0] ?? ''}
              error={itemError(0)}
              onChange={(event) => setValue(0, event.target.value)}
            />
          )}
        </fieldset>
        <div className="flex flex-wrap gap-2">
          <button type="submit" className={primaryButton} disabled={record.isPending}>
            {record.isPending ? t('common.saving') : t('measures.save')}
          </button>
          <button type="button" className={secondaryButton} onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
