import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { errorMessage } from '../../api/problem';
import { recordKeys } from '../../api/queryKeys';
import { type Entry, listEntries, SOAP_SECTIONS } from '../../api/records';
import { useSession } from '../../auth/SessionContext';
import { Alert } from '../../components/Alert';
import { linkClass, primaryButton, secondaryButton } from '../../components/styles';
import { formatCalendarDate, formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import { AmendDialog } from './AmendDialog';
import { EpisodesPanel } from './EpisodesPanel';
import { HistoryPdfButton, MeasuresSection } from './measures/MeasuresSection';
import { ENTRY_TYPE_LABELS, SECTION_LABELS } from './labels';
import { useStaffName } from './useStaffName';

/**
 * The patient's clinical history ("Historia clínica"), for practitioners and admins only: the
 * episodes of care and the timeline of notes, newest first, each with its amendments under it.
 * The page must not render this for anyone else: every request here is audited and refused to
 * receptionists.
 */
export function ClinicalHistory({ patientId }: { patientId: string }) {
  const { t } = useI18n();
  return (
    <section
      aria-labelledby="clinical-history-title"
      className="flex flex-col gap-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="clinical-history-title" className="text-lg font-semibold">
          {t('records.title')}
        </h2>
        <div className="flex flex-wrap items-start gap-2">
          <HistoryPdfButton patientId={patientId} />
          <Link to="/records/new" search={{ patientId }} className={primaryButton}>
            {t('records.newEntry')}
          </Link>
        </div>
      </div>
      <EpisodesPanel patientId={patientId} />
      <MeasuresSection patientId={patientId} />
      <Timeline patientId={patientId} />
    </section>
  );
}

function Timeline({ patientId }: { patientId: string }) {
  const { t } = useI18n();
  const [amending, setAmending] = useState<Entry | null>(null);
  const [amended, setAmended] = useState(false);
  const entries = useInfiniteQuery({
    queryKey: recordKeys.timeline(patientId),
    queryFn: ({ pageParam }) => listEntries(patientId, pageParam),
    initialPageParam: 1,
    getNextPageParam: (last, _pages, lastPage) => (last.view?.next ? lastPage + 1 : undefined),
  });
  // A note written between two pages shifts the rest by one: never show an entry twice.
  const rows = [
    ...new Map((entries.data?.pages ?? []).flatMap((page) => page.member).map((entry) => [entry.id, entry])).values(),
  ];

  return (
    <section aria-labelledby="timeline-title" className="flex flex-col gap-3">
      <h3 id="timeline-title" className="text-base font-semibold text-slate-800">
        {t('records.timeline')}
      </h3>
      {amended && <Alert tone="success">{t('records.amend.done')}</Alert>}
      {entries.isPending && <p role="status">{t('common.loading')}</p>}
      {entries.isError && (
        <div className="flex flex-col items-start gap-3">
          <Alert>{errorMessage(entries.error, t)}</Alert>
          <button type="button" className={secondaryButton} onClick={() => void entries.refetch()}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {entries.isSuccess && rows.length === 0 && <p className="text-slate-600">{t('records.noEntries')}</p>}
      {rows.length > 0 && (
        <ol className="flex flex-col gap-3" aria-busy={entries.isFetching}>
          {rows.map((entry) => (
            <EntryCard
              key={entry.id}
              entry={entry}
              onAmend={() => {
                setAmended(false);
                setAmending(entry);
              }}
            />
          ))}
        </ol>
      )}
      {entries.hasNextPage && (
        <button
          type="button"
          className={`${secondaryButton} self-start`}
          disabled={entries.isFetchingNextPage}
          onClick={() => void entries.fetchNextPage()}
        >
          {entries.isFetchingNextPage ? t('common.loading') : t('records.more')}
        </button>
      )}
      {amending && (
        <AmendDialog
          entry={amending}
          onClose={() => setAmending(null)}
          onAmended={() => {
            setAmending(null);
            setAmended(true);
          }}
        />
      )}
    </section>
  );
}

function EntryCard({ entry, onAmend }: { entry: Entry; onAmend: () => void }) {
  const { t, locale } = useI18n();
  const { user } = useSession();
  const staffName = useStaffName();
  const signed = entry.status === 'signed';
  const typeLabel = t(ENTRY_TYPE_LABELS[entry.type]);
  const date = formatCalendarDate(entry.date, locale);
  const headingId = `entry-${entry.id}-title`;
  const sections = SOAP_SECTIONS.filter((section) => entry[section]?.trim());

  return (
    <li>
      <article
        aria-labelledby={headingId}
        className={`rounded-md border p-3 ${signed ? 'border-slate-200' : 'border-amber-300 bg-amber-50/40'}`}
        data-testid="record-entry"
      >
        <header className="mb-2 flex flex-wrap items-center justify-between gap-2">
          <h4 id={headingId} className="font-semibold">
            {typeLabel} · {date}
          </h4>
          <span
            className={`rounded-full px-2 py-0.5 text-xs font-medium ${
              signed ? 'bg-emerald-100 text-emerald-900' : 'bg-amber-100 text-amber-950'
            }`}
          >
            {t(signed ? 'records.status.signed' : 'records.status.draft')}
          </span>
        </header>
        <p className="mb-2 text-sm text-slate-700">
          {signed && entry.signedAt
            ? t('records.signedBy', {
                name: staffName(entry.signedBy ?? entry.authorId),
                when: formatDateTime(entry.signedAt, locale),
              })
            : t('records.writtenBy', { name: staffName(entry.authorId) })}
        </p>
        {(sections.length > 0 || entry.painVas !== null) && (
          <dl className="grid grid-cols-1 gap-2 text-sm">
            {sections.map((section) => (
              <div key={section}>
                <dt className="font-medium text-slate-800">{t(SECTION_LABELS[section])}</dt>
                <dd className="whitespace-pre-line break-words text-slate-900">{entry[section]}</dd>
              </div>
            ))}
            {entry.painVas !== null && (
              <div>
                <dt className="font-medium text-slate-800">{t('records.painVas')}</dt>
                <dd data-testid="entry-pain">{t('records.painValue', { value: entry.painVas })}</dd>
              </div>
            )}
          </dl>
        )}
        {entry.amendments.length > 0 && (
          <section aria-label={t('records.amendments')} className="mt-3 border-l-4 border-sky-300 pl-3">
            <h5 className="text-sm font-semibold text-slate-800">{t('records.amendments')}</h5>
            <ol className="flex flex-col gap-2">
              {entry.amendments.map((amendment) => (
                <li key={amendment.id} className="text-sm" data-testid="amendment">
                  <p className="text-slate-700">
                    {t('records.amendedBy', {
                      name: staffName(amendment.authorId),
                      when: formatDateTime(amendment.signedAt, locale),
                    })}
                  </p>
                  <p className="whitespace-pre-line break-words">{amendment.text}</p>
                </li>
              ))}
            </ol>
          </section>
        )}
        <div className="mt-3 flex flex-wrap gap-2">
          {!signed && entry.authorId === user?.id && (
            <Link
              to="/records/$entryId/edit"
              params={{ entryId: entry.id }}
              className={linkClass}
              aria-label={t('records.editDraftNamed', { type: typeLabel, date })}
            >
              {t('records.editDraft')}
            </Link>
          )}
          {signed && (
            <button
              type="button"
              className={secondaryButton}
              aria-label={t('records.amend.actionNamed', { type: typeLabel, date })}
              onClick={onAmend}
            >
              {t('records.amend.action')}
            </button>
          )}
        </div>
      </article>
    </li>
  );
}
