import { useNavigate } from '@tanstack/react-router';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { errorMessage } from '../api/problem';
import { hasRole, ROLES, type SessionUser } from '../auth/types';
import { usePatientSearch } from '../hooks/usePatientSearch';
import { formatCalendarDate } from '../i18n/format';
import { useI18n } from '../i18n/useI18n';
import { SEARCH_DEBOUNCE_MS } from './SearchBox';
import { focusRing } from './styles';

const SEARCH_MAX = 100; // the API refuses longer queries
const MIN_QUERY = 2;

/** Every role may see patients (the patients API lets all three in). */
export function canSeePatients(user: SessionUser | null | undefined): boolean {
  return ROLES.some((role) => hasRole(user, role));
}

/** Whether a key press is typing into something (where "/" must stay a slash). */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return target.matches('input, textarea, select');
}

/**
 * The header's patient quick search: a WAI-ARIA combobox over the patients API's search (exact,
 * then typo-tolerant by itself when the exact finds nothing — "Resultados aproximados"). "/"
 * (outside a field) or Ctrl+K / ⌘K focuses it from anywhere but an open dialog; ArrowDown/ArrowUp
 * move through the results, Enter opens the highlighted patient's page (or, with none
 * highlighted, the patients list with the query), Escape closes the list and a second Escape
 * clears the box. After opening a page, focus goes to the page's main content.
 */
export function PatientQuickSearch() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [expanded, setExpanded] = useState(false);
  const [active, setActive] = useState(-1);

  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(text.trim()), SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text]);

  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey) return;
      const ctrlK = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k';
      const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !typingIn(event.target);
      if (!ctrlK && !slash) return;
      // A modal dialog makes the page behind inert: the shortcut must not reach behind it.
      if (document.querySelector('dialog[open]')) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  const searching = query.length >= MIN_QUERY;
  const found = usePatientSearch(
    { q: query, fuzzy: false, status: undefined, page: 1 },
    { enabled: searching },
  );
  const results = searching ? (found.data?.member ?? []) : [];
  const open = expanded && searching && text.trim().length >= MIN_QUERY;
  const listOpen = open && results.length > 0;
  const current = listOpen && active >= 0 && active < results.length ? active : -1;

  const listId = `${id}-results`;
  const hintId = `${id}-hint`;
  const approximateId = `${id}-approximate`;
  const optionId = (index: number) => `${id}-option-${index}`;

  const reset = () => {
    setText('');
    setQuery('');
    setExpanded(false);
    setActive(-1);
  };

  const leaveTo = (go: () => Promise<void>) => {
    reset();
    input.current?.blur();
    // The page opened is where the user works next: Tab continues from its content (unless the
    // page put the focus somewhere in it itself, as the patients list does in its search box).
    void go().then(() => {
      const main = document.getElementById('main');
      if (main && !main.contains(document.activeElement)) main.focus();
    });
  };

  const openPatient = (index: number) => {
    const patient = results[index];
    if (patient) leaveTo(() => navigate({ to: '/patients/$patientId', params: { patientId: patient.id } }));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const last = results.length - 1;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (last < 0 || !searching) return;
      event.preventDefault();
      const down = event.key === 'ArrowDown';
      setExpanded(true);
      if (!listOpen || current < 0) setActive(down ? 0 : last);
      else setActive(down ? (current === last ? 0 : current + 1) : current === 0 ? last : current - 1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (current >= 0) openPatient(current);
      else if (text.trim()) {
        const q = text.trim();
        leaveTo(() => navigate({ to: '/patients', search: { q } }));
      }
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (open) {
        setExpanded(false);
        setActive(-1);
      } else {
        reset();
      }
    }
  };

  // What a screen reader hears as results come (polite: typing is not interrupted).
  let announcement = '';
  if (open && found.isError) announcement = errorMessage(found.error, t);
  else if (open && found.data && !found.isFetching) {
    if (results.length === 0) announcement = t('patients.noMatch', { query });
    else if (found.approximate)
      announcement = t('patients.quickSearch.countApproximate', { count: results.length });
    else announcement = t('patients.quickSearch.count', { count: results.length });
  }

  return (
    <div className="relative w-full md:w-56 lg:w-64" role="search" aria-label={t('patients.quickSearch.label')}>
      <label htmlFor={id} className="sr-only">
        {t('patients.quickSearch.label')}
      </label>
      <input
        ref={input}
        id={id}
        type="text"
        role="combobox"
        className={`block w-full rounded-md border border-teal-600 bg-white px-3 py-1.5 text-base text-slate-900 placeholder:text-slate-600 md:text-sm ${focusRing} focus-visible:outline-white`}
        value={text}
        maxLength={SEARCH_MAX}
        autoComplete="off"
        spellCheck={false}
        placeholder={t('patients.quickSearch.placeholder')}
        aria-autocomplete="list"
        aria-expanded={listOpen}
        aria-controls={listId}
        aria-activedescendant={current >= 0 ? optionId(current) : undefined}
        aria-describedby={hintId}
        aria-keyshortcuts="/ Control+K Meta+K"
        data-testid="patient-quick-search"
        onChange={(event) => {
          setText(event.target.value);
          setExpanded(true);
          setActive(-1);
        }}
        onFocus={() => setExpanded(true)}
        onKeyDown={onKeyDown}
        onBlur={() => setExpanded(false)}
      />
      <p id={hintId} className="sr-only">
        {t('patients.quickSearch.hint')}
      </p>
      <div className="sr-only" aria-live="polite">
        {announcement}
      </div>
      <div
        hidden={!open}
        className="absolute right-0 left-0 z-40 mt-1 overflow-hidden rounded-md bg-white text-slate-900 shadow-lg ring-1 ring-slate-300 md:left-auto md:w-96 md:max-w-[calc(100vw-2rem)]"
      >
        {found.approximate && results.length > 0 && (
          <p id={approximateId} className="border-b border-amber-200 bg-amber-50 px-3 py-1.5 text-sm font-medium text-amber-950">
            {t('patients.approximate')}
          </p>
        )}
        {/* Always in the page, so aria-controls names a list that exists; hidden while closed. */}
        <div
          id={listId}
          role="listbox"
          aria-label={t('patients.quickSearch.results')}
          aria-describedby={found.approximate && results.length > 0 ? approximateId : undefined}
          hidden={!listOpen}
          className="max-h-80 overflow-y-auto"
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
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => openPatient(index)}
            >
              <span className="block font-medium">
                {patient.fullName}
                {patient.status === 'inactive' && (
                  <span className="ml-2 rounded-full bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-800">
                    {t('patients.status.inactive')}
                  </span>
                )}
              </span>
              <span className="block text-sm text-slate-700">
                {[patient.taxId, patient.phoneDisplay ?? patient.phone, patient.birthDate && formatCalendarDate(patient.birthDate, locale)]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </div>
          ))}
        </div>
        {!listOpen && (
          <p className="px-3 py-2 text-sm text-slate-700">
            {found.isError
              ? errorMessage(found.error, t)
              : found.data && !found.isFetching
                ? t('patients.noMatch', { query })
                : t('common.loading')}
          </p>
        )}
      </div>
    </div>
  );
}
