import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type CustomerKind, listCustomers } from '../../api/billing';
import { errorMessage } from '../../api/problem';
import { customerKeys } from '../../api/queryKeys';
import { SEARCH_DEBOUNCE_MS } from '../../components/SearchBox';
import { focusRing, inputClass } from '../../components/styles';
import { useI18n } from '../../i18n/useI18n';
import type { CustomerChoice } from './invoiceForm';
import { CUSTOMER_KIND_LABELS } from './labels';

interface CustomerPickerProps {
  id: string;
  label: string;
  onPick: (customer: CustomerChoice) => void;
  kind?: CustomerKind;
  error?: string | undefined;
}

/** Find a customer by name (any word's prefix, accents ignored) or tax id, and pick one. */
export function CustomerPicker({ id, label, onPick, kind, error }: CustomerPickerProps) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(text.trim()), SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text]);
  const criteria = { q: query, kind, page: 1, itemsPerPage: 10 };
  const found = useQuery({
    queryKey: customerKeys.list(criteria),
    queryFn: () => listCustomers(criteria),
    enabled: query.length >= 2,
  });
  const results = (found.data?.member ?? []).filter((customer) => customer.active);
  const listId = `${id}-results`;
  const describedBy = [`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ');

  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        id={id}
        type="search"
        className={inputClass}
        value={text}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        aria-controls={listId}
        onChange={(event) => setText(event.target.value)}
      />
      <p id={`${id}-hint`} className="mt-1 text-sm text-slate-600">
        {t('customers.searchHint')}
      </p>
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm font-medium text-red-700">
          {error}
        </p>
      )}
      {found.isFetching && <p className="mt-1 text-sm text-slate-600">{t('common.loading')}</p>}
      {found.isError && (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {errorMessage(found.error, t)}
        </p>
      )}
      {found.isSuccess && results.length === 0 && (
        <p className="mt-1 text-sm text-slate-600">{t('customers.noneFound')}</p>
      )}
      <ul
        id={listId}
        aria-label={t('customers.results')}
        className={results.length ? 'mt-1 max-h-56 overflow-y-auto rounded-md border border-slate-200' : 'hidden'}
      >
        {results.map((customer) => (
          <li key={customer.id}>
            <button
              type="button"
              className={`block w-full px-3 py-2 text-left hover:bg-teal-50 ${focusRing}`}
              onClick={() => onPick({ id: customer.id, name: customer.name })}
            >
              <span className="font-medium">{customer.name}</span>
              <span className="ml-2 text-sm text-slate-600">
                {[t(CUSTOMER_KIND_LABELS[customer.kind]), customer.taxId].filter(Boolean).join(' · ')}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
