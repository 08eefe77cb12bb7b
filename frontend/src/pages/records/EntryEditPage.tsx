import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { errorMessage } from '../../api/problem';
import { recordKeys } from '../../api/queryKeys';
import { getEntry } from '../../api/records';
import { useSession } from '../../auth/SessionContext';
import { Alert } from '../../components/Alert';
import { linkClass, secondaryButton } from '../../components/styles';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useI18n } from '../../i18n/useI18n';
import { entryFormOf } from './entryForm';
import { EntryEditor } from './EntryEditor';

const route = getRouteApi('/app/records/$entryId/edit');

/** `/records/$entryId/edit`: your own draft, until you sign it (a signed note is amended instead). */
export function EntryEditPage() {
  const { t } = useI18n();
  useDocumentTitle(t('records.editEntry'));
  const { user } = useSession();
  const { entryId } = route.useParams();
  const entry = useQuery({
    queryKey: recordKeys.entry(entryId),
    queryFn: () => getEntry(entryId),
    // The form keeps its own copy: refetching under it would not change what it shows.
    staleTime: Infinity,
  });
  const stored = entry.data?.data;
  const editable = stored && stored.status === 'draft' && stored.authorId === user?.id;

  return (
    <section aria-labelledby="entry-edit-title">
      {stored && (
        <p className="mb-2">
          <Link to="/patients/$patientId" params={{ patientId: stored.patientId }} className={linkClass}>
            {t('records.backToPatient')}
          </Link>
        </p>
      )}
      <h1 id="entry-edit-title" className="mb-4 text-2xl font-semibold">
        {t('records.editEntry')}
      </h1>
      {entry.isPending && <p role="status">{t('common.loading')}</p>}
      {entry.isError && <Alert>{errorMessage(entry.error, t)}</Alert>}
      {stored && !editable && (
        <Alert tone="warning">
          {t(stored.status === 'signed' ? 'records.errors.alreadySigned' : 'records.errors.notYours')}
        </Alert>
      )}
      {entry.data && stored && editable && (
        <EntryEditor
          key={entry.data.etag}
          initial={entryFormOf(stored)}
          draft={{ id: stored.id, etag: entry.data.etag }}
          keptName={`entry-edit:${stored.id}`}
          onReload={() => void entry.refetch()}
        >
          <Link to="/patients/$patientId" params={{ patientId: stored.patientId }} className={secondaryButton}>
            {t('common.cancel')}
          </Link>
        </EntryEditor>
      )}
    </section>
  );
}
