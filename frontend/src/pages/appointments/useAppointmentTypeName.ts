import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useI18n } from '../../i18n/useI18n';
import { appointmentTypesQuery, typeName } from './appointmentTypes';

/**
 * A function naming an appointment type in the current language (Spanish or English name).
 * Until the types arrive, or if they cannot be loaded, it answers the type's code.
 */
export function useAppointmentTypeName(): (code: string | null) => string {
  const { locale } = useI18n();
  const types = useQuery(appointmentTypesQuery);
  const found = types.data;
  return useCallback(
    (code: string | null) => typeName(code, found ?? [], locale) ?? '',
    [found, locale],
  );
}
