import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Collection } from '../api/http';
import { listPatients, type Patient, type PatientStatus } from '../api/patients';
import { patientKeys } from '../api/queryKeys';

export interface PatientSearchCriteria {
  /** The query as typed (trimmed); empty lists the registry. */
  q: string;
  /** Typo-tolerant from the start (the list's "Tolerar errores" toggle). */
  fuzzy: boolean;
  status: PatientStatus | undefined;
  page: number;
}

interface Shown {
  data: Collection<Patient>;
  approximate: boolean;
}

export interface PatientSearchResult {
  /** The page shown: the exact answer, or the typo-tolerant one when the exact found nothing. */
  data: Collection<Patient> | undefined;
  /** The page shown came from the automatic typo-tolerant retry ("Resultados aproximados"). */
  approximate: boolean;
  isPending: boolean;
  isFetching: boolean;
  isError: boolean;
  error: Error | null;
  refetch: () => void;
}

/**
 * Whether a typo-tolerant retry can find anything the exact search did not: text with a digit or
 * an `@` is an identifier search (tax id, phone, email) on the API, where `fuzzy` changes nothing.
 */
export function canRetryFuzzy(q: string): boolean {
  return !!q && !/[\d@]/.test(q);
}

/**
 * The patients API's search with typo tolerance that kicks in by itself: when the exact search
 * (`fuzzy` off) finds nothing on this page, the same search runs again with `fuzzy=true` and its
 * answer is shown, marked `approximate`. The API does not fall back by itself. Both answers share
 * the list's query keys, so the header's quick search and the patients page reuse each other's.
 * While a new query loads, the last page shown stays (as `keepPreviousData` would).
 */
export function usePatientSearch(
  criteria: PatientSearchCriteria,
  { enabled = true }: { enabled?: boolean } = {},
): PatientSearchResult {
  const { q, fuzzy, status, page } = criteria;
  const exact = useQuery({
    queryKey: patientKeys.list({ q, fuzzy, status, page }),
    queryFn: () => listPatients({ search: q, fuzzy, status, page }),
    placeholderData: keepPreviousData,
    enabled,
  });
  const settled = exact.isSuccess && !exact.isPlaceholderData;
  const retry = enabled && settled && !fuzzy && canRetryFuzzy(q) && exact.data.member.length === 0;
  const approximate = useQuery({
    queryKey: patientKeys.list({ q, fuzzy: true, status, page }),
    queryFn: () => listPatients({ search: q, fuzzy: true, status, page }),
    enabled: retry,
  });

  let current: Shown | undefined;
  if (settled && !retry) current = { data: exact.data, approximate: false };
  else if (retry && approximate.isSuccess) current = { data: approximate.data, approximate: true };
  // What was shown last stays while the next answer loads (no flash of "nothing found"); a
  // disabled search forgets it. State adjusted during render, as React documents for this.
  const [shown, setShown] = useState(current);
  const next = current ?? (enabled ? shown : undefined);
  if (next?.data !== shown?.data || next?.approximate !== shown?.approximate) setShown(next);
  const visible = enabled ? next : undefined;

  const failed = exact.isError ? exact : retry && approximate.isError ? approximate : null;
  return {
    data: visible?.data,
    approximate: visible?.approximate ?? false,
    isPending: enabled && !visible && !failed,
    isFetching: exact.isFetching || approximate.isFetching,
    isError: !!failed,
    error: failed?.error ?? null,
    refetch: () => void (failed ?? exact).refetch(),
  };
}
