import { useQuery } from '@tanstack/react-query';
import { listPractitioners } from '../../api/appointments';
import { practitionerKeys } from '../../api/queryKeys';
import { useSession } from '../../auth/SessionContext';
import { useI18n } from '../../i18n/useI18n';

/**
 * The name of a member of staff by id (an entry's author, an amendment's): the practitioners
 * the calendar already knows, the signed-in user, else "another user" (never a bare id).
 */
export function useStaffName(): (id: string | null | undefined) => string {
  const { t } = useI18n();
  const { user } = useSession();
  const practitioners = useQuery({ queryKey: practitionerKeys.all, queryFn: listPractitioners });
  return (id) => {
    if (!id) return '';
    if (user && id === user.id) return user.fullName;
    return practitioners.data?.find((p) => p.id === id)?.fullName ?? t('records.unknownAuthor');
  };
}
