import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useIdempotencyKey } from '../../api/idempotency';
import { errorMessage, fieldErrorsByName, toApiError } from '../../api/problem';
import { recordKeys } from '../../api/queryKeys';
import { dischargeEpisode, type Episode, type EpisodeCreate, listEpisodes, openEpisode } from '../../api/records';
import { Alert } from '../../components/Alert';
import { Field, TextAreaField } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { primaryButton, secondaryButton } from '../../components/styles';
import { formatCalendarDate } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import { localIsoDate } from '../../lib/dates';
import { useStaffName } from './useStaffName';
import { DateField } from '../../components/DateField';

export const EPISODE_REASON_MAX = 2000;
export const BODY_REGION_MAX = 50;

/** The patient's episodes of care, open first, with "new episode" and "discharge". */
export function EpisodesPanel({ patientId }: { patientId: string }) {
  const { t, locale } = useI18n();
  const staffName = useStaffName();
  const [opening, setOpening] = useState(false);
  const [discharging, setDischarging] = useState<Episode | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const episodes = useQuery({ queryKey: recordKeys.episodes(patientId), queryFn: () => listEpisodes(patientId) });
  const rows: Episode[] = (episodes.data ?? []).toSorted(
    (a, b) => Number(!!a.dischargedOn) - Number(!!b.dischargedOn),
  );

  return (
    <section aria-labelledby="episodes-title" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h3 id="episodes-title" className="text-base font-semibold text-slate-800">
          {t('records.episodes.title')}
        </h3>
        <button type="button" className={secondaryButton} onClick={() => setOpening(true)}>
          {t('records.episodes.new')}
        </button>
      </div>
      {notice && <Alert tone="success">{notice}</Alert>}
      {episodes.isPending && <p role="status">{t('common.loading')}</p>}
      {episodes.isError && (
        <div className="flex flex-col items-start gap-3">
          <Alert>{errorMessage(episodes.error, t)}</Alert>
          <button type="button" className={secondaryButton} onClick={() => void episodes.refetch()}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {episodes.isSuccess && rows.length === 0 && <p className="text-slate-600">{t('records.episodes.none')}</p>}
      {rows.length > 0 && (
        <ul className="flex flex-col gap-2">
          {rows.map((episode) => (
            <li
              key={episode.id}
              className="flex flex-wrap items-start justify-between gap-3 rounded-md border border-slate-200 p-3"
              data-testid="episode"
            >
              <div>
                <p className="font-medium">
                  {episode.reason}
                  {episode.bodyRegion && <span className="text-slate-600"> · {episode.bodyRegion}</span>}
                </p>
                <p className="text-sm text-slate-700">
                  {episode.dischargedOn
                    ? t('records.episodes.dischargedRange', {
                        from: formatCalendarDate(episode.openedOn, locale),
                        to: formatCalendarDate(episode.dischargedOn, locale),
                      })
                    : t('records.episodes.openSince', { from: formatCalendarDate(episode.openedOn, locale) })}
                  {' · '}
                  {staffName(episode.practitionerId)}
                </p>
                {episode.dischargeReason && (
                  <p className="text-sm text-slate-700">
                    {t('records.episodes.dischargeReasonShown', { reason: episode.dischargeReason })}
                  </p>
                )}
                {episode.retainUntil && (
                  <p className="text-sm text-slate-700">
                    {t('records.episodes.retainUntil', { date: formatCalendarDate(episode.retainUntil, locale) })}
                  </p>
                )}
              </div>
              <div className="flex items-center gap-2">
                <span
                  className={`rounded-full px-2 py-0.5 text-xs font-medium ${
                    episode.dischargedOn ? 'bg-slate-200 text-slate-800' : 'bg-emerald-100 text-emerald-900'
                  }`}
                >
                  {t(episode.dischargedOn ? 'records.episodes.discharged' : 'records.episodes.open')}
                </span>
                {!episode.dischargedOn && (
                  <button
                    type="button"
                    className={secondaryButton}
                    aria-label={t('records.episodes.dischargeNamed', { reason: episode.reason })}
                    onClick={() => setDischarging(episode)}
                  >
                    {t('records.episodes.discharge')}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {opening && (
        <NewEpisodeDialog
          patientId={patientId}
          onClose={() => setOpening(false)}
          onOpened={() => {
            setOpening(false);
            setNotice(t('records.episodes.opened'));
          }}
        />
      )}
      {discharging && (
        <DischargeDialog
          episode={discharging}
          onClose={() => setDischarging(null)}
          onDischarged={() => {
            setDischarging(null);
            setNotice(t('records.episodes.dischargedNotice'));
          }}
        />
      )}
    </section>
  );
}

interface NewEpisodeProps {
  patientId: string;
  onClose: () => void;
  onOpened: () => void;
}

function NewEpisodeDialog({ patientId, onClose, onOpened }: NewEpisodeProps) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const idempotency = useIdempotencyKey();
  const [reason, setReason] = useState('');
  const [bodyRegion, setBodyRegion] = useState('');
  const [openedOn, setOpenedOn] = useState(() => localIsoDate());
  const [missing, setMissing] = useState(false);
  const open = useMutation({
    mutationFn: (body: EpisodeCreate) => openEpisode(body, idempotency.keyFor(body)),
    onSuccess: async () => {
      idempotency.reset();
      await queryClient.invalidateQueries({ queryKey: recordKeys.episodes(patientId) });
      onOpened();
    },
  });
  const error = open.error ? toApiError(open.error) : null;
  const bad = error ? fieldErrorsByName(error) : new Map();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!reason.trim()) {
      setMissing(true);
      document.getElementById('episode-reason')?.focus();
      return;
    }
    open.mutate({ patientId, reason: reason.trim(), bodyRegion: bodyRegion.trim() || null, openedOn: openedOn || null });
  }

  return (
    <Modal title={t('records.episodes.new')} closeLabel={t('common.close')} onClose={onClose}>
      <form onSubmit={submit} noValidate className="flex flex-col gap-4" aria-busy={open.isPending}>
        {error && <Alert>{bad.size > 0 ? t('errors.validation') : errorMessage(error, t)}</Alert>}
        <TextAreaField
          id="episode-reason"
          label={t('records.episodes.reason')}
          hint={t('records.episodes.reasonHint')}
          rows={2}
          required
          maxLength={EPISODE_REASON_MAX}
          value={reason}
          error={missing || bad.has('reason') ? t('records.episodes.reasonRequired') : undefined}
          onChange={(event) => {
            setMissing(false);
            setReason(event.target.value);
          }}
        />
        <Field
          id="episode-bodyRegion"
          label={t('records.episodes.bodyRegion')}
          maxLength={BODY_REGION_MAX}
          value={bodyRegion}
          error={bad.has('bodyRegion') ? t('errors.invalidValue') : undefined}
          onChange={(event) => setBodyRegion(event.target.value)}
        />
        <DateField
          id="episode-openedOn"
          label={t('records.episodes.openedOn')}
          max={localIsoDate()}
          value={openedOn}
          error={bad.has('openedOn') ? t('records.errors.date') : undefined}
          onChange={setOpenedOn}
        />
        <div className="flex flex-wrap gap-2">
          <button type="submit" className={primaryButton} disabled={open.isPending}>
            {open.isPending ? t('common.saving') : t('records.episodes.openNow')}
          </button>
          <button type="button" className={secondaryButton} onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

interface DischargeProps {
  episode: Episode;
  onClose: () => void;
  onDischarged: () => void;
}

function DischargeDialog({ episode, onClose, onDischarged }: DischargeProps) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const discharge = useMutation({
    mutationFn: (text: string) => dischargeEpisode(episode.id, text, `"${episode.version}"`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: recordKeys.episodes(episode.patientId) });
      onDischarged();
    },
    // Stale or already discharged: show the episode as it now stands.
    onError: () => void queryClient.invalidateQueries({ queryKey: recordKeys.episodes(episode.patientId) }),
  });
  const error = discharge.error ? toApiError(discharge.error) : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!reason.trim()) {
      setMissing(true);
      document.getElementById('discharge-reason')?.focus();
      return;
    }
    discharge.mutate(reason.trim());
  }

  return (
    <Modal title={t('records.episodes.dischargeTitle', { reason: episode.reason })} closeLabel={t('common.close')} onClose={onClose}>
      <form onSubmit={submit} noValidate className="flex flex-col gap-4" aria-busy={discharge.isPending}>
        {error && (
          <Alert>
            {error.status === 412 || error.status === 409 ? t('records.episodes.changed') : errorMessage(error, t)}
          </Alert>
        )}
        <p className="text-sm text-slate-700">{t('records.episodes.dischargeIntro')}</p>
        <TextAreaField
          id="discharge-reason"
          label={t('records.episodes.dischargeReason')}
          rows={3}
          required
          maxLength={EPISODE_REASON_MAX}
          value={reason}
          error={missing ? t('records.episodes.reasonRequired') : undefined}
          onChange={(event) => {
            setMissing(false);
            setReason(event.target.value);
          }}
        />
        <div className="flex flex-wrap gap-2">
          <button type="submit" className={primaryButton} disabled={discharge.isPending}>
            {discharge.isPending ? t('common.saving') : t('records.episodes.dischargeNow')}
          </button>
          <button type="button" className={secondaryButton} onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
