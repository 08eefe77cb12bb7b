import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { listPatients } from '../../api/patients';
import { errorMessage } from '../../api/problem';
import { patientKeys } from '../../api/queryKeys';
import { SEARCH_DEBOUNCE_MS } from '../../components/SearchBox';
import { focusRing, inputClass, secondaryButton } from '../../components/styles';
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

/** Find a patient by name, tax id or phone (the patients API's search) and pick one. */
export function PatientPicker({ id, value, onChange, error }: PatientPickerProps) {
  const { t, locale } = useI18n();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');

  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(text.trim()), SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text]);

  const found = useQuery({
    queryKey: patientKeys.picker(query),
    queryFn: () => listPatients({ search: query, fuzzy: true, status: 'active', page: 1 }),
    enabled: value === null && query.length >= 2,
  });

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
            type="button"
            className={`${secondaryButton} px-2 py-1 text-sm`}
            aria-describedby={error ? `${id}-error` : undefined}
            onClick={() => onChange(null)}
          >
            {t('calendar.changePatient')}
          </button>
        </div>
        {errorNote}
      </div>
    );
  }

  const listId = `${id}-results`;
  const results = found.data?.member ?? [];
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-800">
        {t('calendar.patient')}
      </label>
      <input
        id={id}
        type="search"
        className={inputClass}
        value={text}
        autoComplete="off"
        spellCheck={false}
        placeholder={t('calendar.patientSearchHint')}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        aria-controls={results.length > 0 ? listId : undefined}
        data-autofocus
        onChange={(event) => setText(event.target.value)}
      />
      {errorNote}
      {found.isFetching && <p className="mt-1 text-sm text-slate-600">{t('common.loading')}</p>}
      {found.isError && (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {errorMessage(found.error, t)}
        </p>
      )}
      {found.isSuccess && results.length === 0 && (
        <p className="mt-1 text-sm text-slate-600">{t('calendar.noPatientFound')}</p>
      )}
      {results.length > 0 && (
        <ul id={listId} aria-label={t('calendar.patientResults')} className="mt-1 max-h-48 overflow-y-auto rounded-md border border-slate-200">
          {results.map((patient) => (
            <li key={patient.id}>
              <button
                type="button"
                className={`block w-full px-3 py-2 text-left hover:bg-teal-50 ${focusRing}`}
                onClick={() => onChange({ id: patient.id, fullName: patient.fullName })}
              >
                <span className="font-medium">{patient.fullName}</span>
                <span className="ml-2 text-sm text-slate-600">
                  {[patient.taxId, patient.phone, patient.birthDate && formatCalendarDate(patient.birthDate, locale)]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
