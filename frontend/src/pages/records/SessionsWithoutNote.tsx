import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { errorMessage } from '../../api/problem';
import { recordKeys } from '../../api/queryKeys';
import { listSessionsWithoutNote } from '../../api/records';
import { Alert } from '../../components/Alert';
import { linkClass, primaryButton, secondaryButton } from '../../components/styles';
import { formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import { localIsoDate } from '../../lib/dates';

/**
 * The dashboard's "sessions without a note" (practitioners): each completed session whose note
 * is not signed yet, with a one-click "write the note" for that patient and session.
 */
export function SessionsWithoutNote() {
  const { t, locale } = useI18n();
  const sessions = useInfiniteQuery({
    queryKey: recordKeys.sessionsWithoutNote(),
    queryFn: ({ pageParam }) => listSessionsWithoutNote(pageParam),
    initialPageParam: 1,
    getNextPageParam: (last, _pages, lastPage) => (last.view?.next ? lastPage + 1 : undefined),
  });
  const rows = [
    ...new Map(
      (sessions.data?.pages ?? []).flatMap((page) => page.member).map((session) => [session.appointmentId, session]),
    ).values(),
  ];

  return (
    <section aria-labelledby="without-note-title" className="mt-6">
      <h2 id="without-note-title" className="mb-3 text-xl font-semibold">
        {t('records.withoutNote.title')}
      </h2>
      {sessions.isPending && <p role="status">{t('common.loading')}</p>}
      {sessions.isError && (
        <div className="flex flex-col items-start gap-3">
          <Alert>{errorMessage(sessions.error, t)}</Alert>
          <button type="button" className={secondaryButton} onClick={() => void sessions.refetch()}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {sessions.isSuccess && rows.length === 0 && <p className="text-slate-600">{t('records.withoutNote.none')}</p>}
      {rows.length > 0 && (
        <ul className="flex flex-col divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          {rows.map((session) => {
            const when = formatDateTime(session.startsAt, locale);
            const name = session.patientName ?? t('records.withoutNote.unknownPatient');
            return (
              <li
                key={session.appointmentId}
                className="flex flex-wrap items-center justify-between gap-3 px-4 py-3"
                data-testid="session-without-note"
              >
                <div>
                  {session.patientId ? (
                    <Link
                      to="/patients/$patientId"
                      params={{ patientId: session.patientId }}
                      className={`${linkClass} font-medium`}
                    >
                      {name}
                    </Link>
                  ) : (
                    <span className="font-medium">{name}</span>
                  )}
                  <p className="text-sm text-slate-700">{when}</p>
                </div>
                {session.patientId && (
                  <Link
                    to="/records/new"
                    search={{
                      patientId: session.patientId,
                      appointmentId: session.appointmentId,
                      date: localIsoDate(new Date(session.startsAt)),
                    }}
                    className={primaryButton}
                    aria-label={t('records.writeNoteFor', { name, when })}
                  >
                    {t('records.writeNote')}
                  </Link>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {sessions.hasNextPage && (
        <button
          type="button"
          className={`${secondaryButton} mt-3`}
          disabled={sessions.isFetchingNextPage}
          onClick={() => void sessions.fetchNextPage()}
        >
          {sessions.isFetchingNextPage ? t('common.loading') : t('records.more')}
        </button>
      )}
    </section>
  );
}
