import { useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { listPatients } from '../../api/patients';
import { errorMessage } from '../../api/problem';
import { patientKeys } from '../../api/queryKeys';
import { SEARCH_DEBOUNCE_MS } from '../../components/SearchBox';
import { inputClass, secondaryButton } from '../../components/styles';
import { formatCalendarDate } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';

export interface PickedPatient {
  id: string;
  fullName: string;
}

interface PatientPickerProps {
  id: string;
  value: PickedPatient | null;
  onChange: (patient: PickedPatient | null) => void;
  error?: string | undefined;
}

/**
 * Find a patient by name, tax id or phone (the patients API's search) and pick one: a WAI-ARIA
 * combobox (the list of results is its listbox; ArrowDown/ArrowUp move through it, Enter picks,
 * Escape closes it), usable without the mouse. After a pick focus goes to "Cambiar", after
 * "Cambiar" back to the search box: the control focused is replaced, and focus must not fall to
 * <body>.
 */
export function PatientPicker({ id, value, onChange, error }: PatientPickerProps) {
  const { t, locale } = useI18n();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [expanded, setExpanded] = useState(false);
  const [active, setActive] = useState(-1);
  const changeButton = useRef<HTMLButtonElement>(null);
  const input = useRef<HTMLInputElement>(null);
  // Set by the user's own pick or "Cambiar", so a value given from outside moves no focus.
  const focusAfterChange = useRef(false);

  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(text.trim()), SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text]);

  const found = useQuery({
    queryKey: patientKeys.picker(query),
    queryFn: () => listPatients({ search: query, fuzzy: true, status: 'active', page: 1 }),
    enabled: value === null && query.length >= 2,
  });

  useLayoutEffect(() => {
    if (!focusAfterChange.current) return;
    focusAfterChange.current = false;
    (value ? changeButton.current : input.current)?.focus();
  }, [value]);

  const change = (patient: PickedPatient | null) => {
    focusAfterChange.current = true;
    setExpanded(false);
    setActive(-1);
    onChange(patient);
  };

  const errorNote = error && (
    <p id={`${id}-error`} className="mt-1 text-sm font-medium text-red-700">
      {error}
    </p>
  );

  if (value) {
    // The server may still refuse the picked patient (made inactive meanwhile): say so here.
    return (
      <div>
        <p className="mb-1 block text-sm font-medium text-slate-800">{t('calendar.patient')}</p>
        <div className="flex items-center justify-between gap-2 rounded-md border border-slate-300 px-3 py-2">
          <span data-testid="picked-patient">{value.fullName}</span>
          <button
            ref={changeButton}
            type="button"
            className={`${secondaryButton} px-2 py-1 text-sm`}
            aria-describedby={error ? `${id}-error` : undefined}
            onClick={() => change(null)}
          >
            {t('calendar.changePatient')}
          </button>
        </div>
        {errorNote}
      </div>
    );
  }

  const listId = `${id}-results`;
  const optionId = (index: number) => `${id}-option-${index}`;
  // Results of an older query stay listed while a newer one loads (they are still pickable).
  const results = found.data?.member ?? [];
  const open = expanded && results.length > 0;
  const current = open && active >= 0 && active < results.length ? active : -1;

  const pick = (index: number) => {
    const patient = results[index];
    if (patient) change({ id: patient.id, fullName: patient.fullName });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const last = results.length - 1;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (last < 0) return;
      event.preventDefault();
      const down = event.key === 'ArrowDown';
      setExpanded(true);
      // Opening the list with ArrowDown lands on the first result, with ArrowUp on the last.
      if (!open || current < 0) setActive(down ? 0 : last);
      else setActive(down ? (current === last ? 0 : current + 1) : current === 0 ? last : current - 1);
    } else if (event.key === 'Enter') {
      // Enter picks the highlighted result; with the list open it never sends the form.
      if (!open) return;
      event.preventDefault();
      if (current >= 0) pick(current);
    } else if (event.key === 'Escape' && open) {
      // Closes the list only: the dialog around stays (it listens on the document).
      event.preventDefault();
      event.stopPropagation();
      setExpanded(false);
      setActive(-1);
    }
  };

  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-800">
        {t('calendar.patient')}
      </label>
      <input
        ref={input}
        id={id}
        type="text"
        role="combobox"
        className={inputClass}
        value={text}
        autoComplete="off"
        spellCheck={false}
        placeholder={t('calendar.patientSearchHint')}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={current >= 0 ? optionId(current) : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        data-autofocus
        onChange={(event) => {
          setText(event.target.value);
          setExpanded(true);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setExpanded(false)}
      />
      {errorNote}
      {/* Polite, so a screen reader hears that results came (or none did) while typing. */}
      <div className="mt-1 text-sm text-slate-600" aria-live="polite">
        {found.isFetching && <p>{t('common.loading')}</p>}
        {found.isSuccess && !found.isFetching && results.length === 0 && <p>{t('calendar.noPatientFound')}</p>}
        {found.isSuccess && !found.isFetching && results.length > 0 && (
          <p className="sr-only">{t('calendar.patientResultsCount', { count: results.length })}</p>
        )}
      </div>
      {found.isError && (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {errorMessage(found.error, t)}
        </p>
      )}
      {/* Always in the page, so aria-controls names a list that exists; hidden while closed. */}
      <div
        id={listId}
        role="listbox"
        aria-label={t('calendar.patientResults')}
        hidden={!open}
        className="mt-1 max-h-48 overflow-y-auto rounded-md border border-slate-200"
      >
        {results.map((patient, index) => (
          // The keys are the combobox's (aria-activedescendant): an option never takes focus.
          // eslint-disable-next-line jsx-a11y/click-events-have-key-events
          <div
            key={patient.id}
            id={optionId(index)}
            role="option"
            tabIndex={-1}
            aria-selected={index === current}
            className={`cursor-pointer px-3 py-2 hover:bg-teal-50 ${index === current ? 'bg-teal-100 outline-2 -outline-offset-2 outline-teal-700' : ''}`}
            // Keep focus in the search box: a click picks without blurring (and closing) it.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => pick(index)}
          >
            <span className="font-medium">{patient.fullName}</span>
            <span className="ml-2 text-sm text-slate-600">
              {[patient.taxId, patient.phoneDisplay ?? patient.phone, patient.birthDate && formatCalendarDate(patient.birthDate, locale)]
                .filter(Boolean)
                .join(' · ')}
            </span>
          </div>
        ))}
      </div>
    </div>
  );
}
