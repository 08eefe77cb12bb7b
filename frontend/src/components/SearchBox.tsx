import { useEffect, useRef, useState } from 'react';
import { inputClass } from './styles';

/** How long typing must pause before the search runs (one request per pause, not per key). */
export const SEARCH_DEBOUNCE_MS = 250;

interface SearchBoxProps {
  id: string;
  label: string;
  hint?: string;
  /** The query the page is showing (from the URL). */
  value: string;
  /** Called with the trimmed query once typing pauses. */
  onSearch: (query: string) => void;
  maxLength?: number;
  /** Take the focus when the page opens (the page's main control). */
  focusOnMount?: boolean;
}

/** A labelled search field that reports what was typed after a short pause. */
export function SearchBox({ id, label, hint, value, onSearch, maxLength, focusOnMount }: SearchBoxProps) {
  const [text, setText] = useState(value);
  const reported = useRef(value);
  const input = useRef<HTMLInputElement>(null);

  // Once, when the page opens (not the jsx autoFocus: that is the page's choice, made here).
  useEffect(() => {
    if (focusOnMount) input.current?.focus();
  }, [focusOnMount]);

  // The query changed elsewhere (back button, a link): show it instead of what was typed.
  useEffect(() => {
    if (value === reported.current) return;
    reported.current = value;
    setText(value);
  }, [value]);

  useEffect(() => {
    const query = text.trim();
    if (query === reported.current) return;
    const timer = window.setTimeout(() => {
      reported.current = query;
      onSearch(query);
    }, SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text, onSearch]);

  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        ref={input}
        id={id}
        type="search"
        className={inputClass}
        value={text}
        autoComplete="off"
        spellCheck={false}
        maxLength={maxLength}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(event) => setText(event.target.value)}
      />
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-sm text-slate-600">
          {hint}
        </p>
      )}
    </div>
  );
}
