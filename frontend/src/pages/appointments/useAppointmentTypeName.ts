import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { listAppointmentTypes } from '../../api/appointments';
import { useI18n } from '../../i18n/useI18n';

// Types change seldom (an admin renames one now and then): no need to ask on every page.
const TYPES_STALE_MS = 10 * 60_000;

/**
 * A function naming an appointment type in the current language (Spanish or English name).
 * Until the types arrive, or if they cannot be loaded, it answers the type's code.
 */
export function useAppointmentTypeName(): (code: string | null) => string {
  const { locale } = useI18n();
  const types = useQuery({
    queryKey: ['appointment-types'],
    queryFn: listAppointmentTypes,
    staleTime: TYPES_STALE_MS,
  });
  const found = types.data;
  return useCallback(
    (code: string | null) => {
      if (!code) return '';
      const type = found?.find((candidate) => candidate.code === code);
      if (!type) return code;
      return locale === 'en' ? type.nameEn : type.nameEs;
    },
    [found, locale],
  );
}
