import { queryOptions } from '@tanstack/react-query';
import { type AppointmentType, listAppointmentTypes } from '../../api/appointments';
import { appointmentTypeKeys } from '../../api/queryKeys';
import type { Locale } from '../../i18n/catalogs';

// Types change seldom (an admin renames one now and then): no need to ask on every page.
const TYPES_STALE_MS = 10 * 60_000;

/** The appointment types, one cache entry shared by every page that names them. */
export const appointmentTypesQuery = queryOptions({
  queryKey: appointmentTypeKeys.all,
  queryFn: listAppointmentTypes,
  staleTime: TYPES_STALE_MS,
});

/** The type's name in the user's language (its code when the type is unknown). */
export function typeName(
  code: string | null,
  types: readonly AppointmentType[],
  locale: Locale,
): string | null {
  if (!code) return null;
  const found = types.find((type) => type.code === code);
  if (!found) return code;
  return locale === 'es' ? found.nameEs : found.nameEn;
}
