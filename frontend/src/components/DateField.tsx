import { type FocusEvent, type KeyboardEvent, useState } from 'react';
import { useI18n } from '../i18n/useI18n';
import {
  isLocalDateTime,
  isoToDisplayDate,
  isTime,
  parseDisplayDate,
  parseTime,
  shiftIsoDate,
  shiftTime,
} from '../lib/dateText';
import { isRealDate } from '../lib/dates';
import { inputClass } from './styles';

/*
 * Dates and times typed in the clinic's format whatever the browser's language (a native
 * `<input type="date">` shows mm/dd/yyyy on an American browser and speaks its own language when
 * it refuses a value): 31/12/2026 and 24-hour 09:30. The form gets ISO (`2026-12-31`, `09:30`,
 * `2026-12-31T09:30`), `''` when nothing is typed, or the text itself while it is not a date yet,
 * so the form's own checks (`isRealDate`, `isLocalDateTime`) can tell "empty" from "wrong".
 */

interface CommonProps {
  id: string;
  label: string;
  /** The form's message for the field (already translated); else the field's own format message. */
  error?: string | undefined;
  hint?: string | undefined;
  className?: string;
  required?: boolean;
  disabled?: boolean;
  onBlur?: (event: FocusEvent<HTMLInputElement>) => void;
}

interface DateFieldProps extends CommonProps {
  /** `YYYY-MM-DD`, `''`, or the text typed while it is not a real day. */
  value: string;
  onChange: (value: string) => void;
  /** The earliest and latest days the arrow keys go to (`YYYY-MM-DD`). */
  min?: string | undefined;
  max?: string | undefined;
}

/** The value the form holds for what is typed in a date box. */
function dateValue(text: string): string {
  return parseDisplayDate(text) ?? text.trim();
}

function clamp(value: string, min: string | undefined, max: string | undefined): string {
  if (min && value < min) return min;
  if (max && value > max) return max;
  return value;
}

/**
 * The text shown for the form's `value`, kept while the user types: it is redrawn only when the
 * form sets a value other than the last one typed (a slot picked, a reset). A form that keeps
 * only real days (a filter) leaves its value alone meanwhile, and the half-typed text stays.
 */
function useShownText(value: string, show: (value: string) => string) {
  const [text, setText] = useState(() => show(value));
  const [seen, setSeen] = useState(value);
  const [typed, setTyped] = useState(value);
  if (seen !== value) {
    setSeen(value);
    if (value !== typed) setText(show(value));
  }
  return { text, setText, hold: setTyped };
}

function describedBy(...ids: (string | false | undefined)[]): string {
  return ids.filter(Boolean).join(' ');
}

function Notes({ id, hint, error }: { id: string; hint?: string | undefined; error?: string | undefined }) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-sm text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm font-medium text-red-700">
          {error}
        </p>
      )}
    </>
  );
}

interface DateInputProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  min?: string | undefined;
  max?: string | undefined;
  invalid: boolean;
  describedBy: string;
  required?: boolean | undefined;
  disabled?: boolean | undefined;
  ariaLabel?: string | undefined;
  onBlur: (event: FocusEvent<HTMLInputElement>, typedWrong: boolean) => void;
}

/** The date box itself: dd/mm/yyyy, the arrow keys a day, Page Up/Down a month. */
function DateInput({ id, value, onChange, min, max, invalid, describedBy: described, required, disabled, ariaLabel, onBlur }: DateInputProps) {
  const { t } = useI18n();
  const { text, setText, hold } = useShownText(value, isoToDisplayDate);
  const emit = (next: string) => {
    hold(next);
    onChange(next);
  };
  function step(event: KeyboardEvent<HTMLInputElement>) {
    const by = { ArrowUp: [1, 0], ArrowDown: [-1, 0], PageUp: [0, 1], PageDown: [0, -1] }[event.key];
    if (!by) return;
    event.preventDefault();
    const current = dateValue(text);
    const next = clamp(isRealDate(current) ? shiftIsoDate(current, by[0]!, by[1]) : shiftIsoDate('', 0), min, max);
    setText(isoToDisplayDate(next));
    emit(next);
  }
  return (
    <input
      id={id}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      placeholder={t('dates.placeholder')}
      className={inputClass}
      value={text}
      required={required}
      disabled={disabled}
      aria-label={ariaLabel}
      aria-invalid={invalid ? true : undefined}
      aria-describedby={described}
      onKeyDown={step}
      onChange={(event) => {
        setText(event.target.value);
        emit(dateValue(event.target.value));
      }}
      onBlur={(event) => {
        const parsed = parseDisplayDate(text);
        if (parsed) setText(isoToDisplayDate(parsed));
        onBlur(event, !parsed && text.trim() !== '');
      }}
    />
  );
}

/** A labelled date box in the clinic's format (dd/mm/yyyy), with its hint and error. */
export function DateField({ id, label, value, onChange, error, hint, className = '', min, max, required, disabled, onBlur }: DateFieldProps) {
  const { t } = useI18n();
  const [typedWrong, setTypedWrong] = useState(false);
  const shownError = error ?? (typedWrong ? t('dates.invalid') : undefined);
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-800">
        {label}
      </label>
      <DateInput
        id={id}
        value={value}
        min={min}
        max={max}
        required={required}
        disabled={disabled}
        invalid={!!shownError}
        describedBy={describedBy(!shownError && `${id}-format`, hint && `${id}-hint`, shownError && `${id}-error`)}
        onChange={(next) => {
          if (typedWrong && (next === '' || isRealDate(next))) setTypedWrong(false);
          onChange(next);
        }}
        onBlur={(event, wrong) => {
          setTypedWrong(wrong);
          onBlur?.(event);
        }}
      />
      <span id={`${id}-format`} className="sr-only">
        {t('dates.formatHint')}
      </span>
      <Notes id={id} hint={hint} error={shownError} />
    </div>
  );
}

/** A `YYYY-MM-DDTHH:MM` value's day and time (both empty when it is not one). */
function splitDateTime(whole: string): { date: string; time: string } {
  const [date = '', time = ''] = isLocalDateTime(whole) ? whole.split('T') : ['', ''];
  return { date, time };
}

interface DateTimeFieldProps extends CommonProps {
  /** `YYYY-MM-DDTHH:MM` (as a `datetime-local` input had it), `''`, or the text while it is wrong. */
  value: string;
  onChange: (value: string) => void;
  /** Minutes the arrow keys move the time by. */
  step?: number;
}

/**
 * A day and a 24-hour time side by side, one label: the date box is `id` (labelled by `label`),
 * the time box `${id}-time` ("Inicio: hora"). Arrow keys move the day, or the time by `step`.
 */
export function DateTimeField({ id, label, value, onChange, error, hint, className = '', required, disabled, step = 5, onBlur }: DateTimeFieldProps) {
  const { t } = useI18n();
  // The two halves as typed; redrawn only when the form sets a value itself (a slot picked).
  const [parts, setParts] = useState(() => splitDateTime(value));
  const [seen, setSeen] = useState(value);
  const [typed, setTyped] = useState(value);
  if (seen !== value) {
    setSeen(value);
    if (value !== typed) setParts(splitDateTime(value));
  }
  const timeState = useShownText(parts.time, (time) => time);
  const [typedWrong, setTypedWrong] = useState(false);
  const shownError = error ?? (typedWrong ? t('dates.invalidDateTime') : undefined);

  function emit(date: string, time: string) {
    const next = !date && !time ? '' : `${date}T${time}`;
    setParts({ date, time });
    setTyped(next);
    if (typedWrong && (next === '' || isLocalDateTime(next))) setTypedWrong(false);
    onChange(next);
  }
  const blurred = (event: FocusEvent<HTMLInputElement>, wrong: boolean) => {
    setTypedWrong(wrong);
    onBlur?.(event);
  };
  // With an error, the error alone (it says the format when it is about the format).
  const described = describedBy(!shownError && `${id}-format`, hint && `${id}-hint`, shownError && `${id}-error`);

  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="flex gap-2">
        <div className="min-w-0 flex-[3]">
          <DateInput
            id={id}
            value={parts.date}
            required={required}
            disabled={disabled}
            invalid={!!shownError}
            describedBy={described}
            onChange={(date) => emit(date, parts.time)}
            onBlur={(event, wrong) => blurred(event, wrong || (!!parts.time && !isTime(parts.time)))}
          />
        </div>
        <div className="min-w-0 flex-[2]">
          <input
            id={`${id}-time`}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            placeholder={t('dates.timePlaceholder')}
            aria-label={t('dates.timeOf', { label })}
            className={inputClass}
            value={timeState.text}
            required={required}
            disabled={disabled}
            aria-invalid={shownError ? true : undefined}
            aria-describedby={described}
            onKeyDown={(event) => {
              const by = { ArrowUp: step, ArrowDown: -step }[event.key];
              const current = parseTime(timeState.text);
              if (by === undefined || !current) return;
              event.preventDefault();
              const next = shiftTime(current, by);
              timeState.setText(next);
              timeState.hold(next);
              emit(parts.date, next);
            }}
            onChange={(event) => {
              const time = parseTime(event.target.value) ?? event.target.value.trim();
              timeState.setText(event.target.value);
              timeState.hold(time);
              emit(parts.date, time);
            }}
            onBlur={(event) => {
              const parsed = parseTime(timeState.text);
              if (parsed) timeState.setText(parsed);
              const dateWrong = !!parts.date && !isRealDate(parts.date);
              blurred(event, dateWrong || (!parsed && timeState.text.trim() !== ''));
            }}
          />
        </div>
      </div>
      <span id={`${id}-format`} className="sr-only">
        {t('dates.dateTimeFormatHint')}
      </span>
      <Notes id={id} hint={hint} error={shownError} />
    </div>
  );
}
