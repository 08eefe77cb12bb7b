import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useIdempotencyKey } from '../../api/idempotency';
import { errorMessage, toApiError } from '../../api/problem';
import { dashboardKeys, recordKeys } from '../../api/queryKeys';
import {
  createEntry,
  ENTRY_TYPES,
  type EntryType,
  listEpisodes,
  listTemplates,
  PAIN_MAX,
  SECTION_MAX,
  signEntry,
  SOAP_SECTIONS,
  updateEntry,
} from '../../api/records';
import { useSession } from '../../auth/SessionContext';
import { Alert } from '../../components/Alert';
import { Field, SelectField, TextAreaField } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { linkClass, primaryButton, secondaryButton } from '../../components/styles';
import { formatCalendarDate, formatTime } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import { localIsoDate } from '../../lib/dates';
import { keptForm, useKeepOnExpiry } from '../billing/keptForm';
import {
  applyTemplate,
  type EntryField,
  type EntryFieldErrors,
  entryFieldErrors,
  entryFieldId,
  type EntryFormValues,
  firstErrorField,
  hasContent,
  isEntryType,
  toEntryBody,
  toEntryCreate,
  validateEntry,
} from './entryForm';
import { ENTRY_TYPE_LABELS, SECTION_LABELS } from './labels';
import { measureKeys } from './measures/keys';
import { DateField } from '../../components/DateField';

/** A saved draft: its id, the ETag of its version, and the body that version holds. */
interface SavedDraft {
  id: string;
  etag: string;
  body: string | null;
}

/** What the editor keeps over an expired session. */
interface EditorState {
  values: EntryFormValues;
  saved: SavedDraft | null;
}

/** How long typing must pause before the draft saves itself. */
export const AUTOSAVE_DELAY_MS = 3000;

interface EntryEditorProps {
  initial: EntryFormValues;
  /** Editing a stored draft: its id and ETag. */
  draft?: { id: string; etag: string };
  /** The name the form is kept under if the session expires. */
  keptName: string;
  /** Ask the page to fetch the draft again (after a 412). */
  onReload?: () => void;
  /** Whether to prefill the empty sections with the type's template (a new note). */
  prefill?: boolean;
  children?: ReactNode;
}

type Stage = 'save' | 'sign';

/**
 * The SOAP form (a new note or your draft): type (its template prefills what is still empty),
 * date, episode, the session it belongs to, the four sections and pain 0–10. The draft saves
 * itself a few seconds after typing stops; "sign" (after a confirmation) makes it final. Nothing
 * typed is lost on a 422, 409, 403 or 412, nor when the session expires.
 */
export function EntryEditor({ initial, draft, keptName, onReload, prefill, children }: EntryEditorProps) {
  const { t, locale } = useI18n();
  const { user } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const idempotency = useIdempotencyKey();
  const [state, setState] = useState<EditorState>(
    () =>
      keptForm<EditorState>(keptName, user?.id) ?? {
        values: initial,
        saved: draft ? { id: draft.id, etag: draft.etag, body: null } : null,
      },
  );
  const { values, saved } = state;
  useKeepOnExpiry(keptName, state);
  const savedRef = useRef(saved);
  const [checked, setChecked] = useState<EntryFieldErrors>({});
  const [dismissed, setDismissed] = useState<ReadonlySet<EntryField>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [failedAt, setFailedAt] = useState<Stage>('save');
  const [lastSavedAt, setLastSavedAt] = useState<Date | null>(null);
  const touched = useRef(false);
  const queue = useRef<Promise<unknown>>(Promise.resolve());

  const templates = useQuery({ queryKey: recordKeys.templates(locale), queryFn: () => listTemplates(locale) });
  const templateOf = (type: EntryType) => templates.data?.find((template) => template.type === type);
  const episodes = useQuery({
    queryKey: recordKeys.episodes(values.patientId),
    queryFn: () => listEpisodes(values.patientId),
  });
  const choosableEpisodes = (episodes.data ?? []).filter(
    (episode) => !episode.dischargedOn || episode.id === values.episodeId,
  );

  const update = (change: Partial<EntryFormValues>, fields: EntryField[] = []) => {
    touched.current = true;
    if (fields.length > 0) {
      setChecked((current) => {
        const next = { ...current };
        for (const field of fields) delete next[field];
        return next;
      });
      setDismissed((current) => new Set([...current, ...fields]));
    }
    setState((current) => ({ ...current, values: { ...current.values, ...change } }));
  };

  // A new note takes its type's template once the templates arrive (only where still empty).
  const prefilled = useRef(false);
  useEffect(() => {
    if (!prefill || prefilled.current || !templates.data) return;
    prefilled.current = true;
    const template = templates.data.find((candidate) => candidate.type === values.type);
    setState((current) => ({ ...current, values: applyTemplate(current.values, undefined, template) }));
  }, [prefill, templates.data, values.type]);

  // A new note goes to the patient's only open episode, unless one was chosen.
  const episodeChosen = useRef(false);
  useEffect(() => {
    if (!prefill || episodeChosen.current || !episodes.data) return;
    episodeChosen.current = true;
    const open = episodes.data.filter((episode) => !episode.dischargedOn);
    const only = open.length === 1 ? open[0] : undefined;
    if (only) setState((current) => (current.values.episodeId ? current : { ...current, values: { ...current.values, episodeId: only.id } }));
  }, [prefill, episodes.data]);

  async function persistNow(current: EntryFormValues): Promise<SavedDraft> {
    const before = savedRef.current;
    const body = toEntryBody(current);
    const serialised = JSON.stringify(body);
    if (before && before.body === serialised) return before;
    const result = before
      ? await updateEntry(before.id, body, before.etag)
      : await createEntry(toEntryCreate(current), idempotency.keyFor(toEntryCreate(current)));
    if (!before) idempotency.reset();
    const next = { id: result.data.id, etag: result.etag, body: serialised };
    savedRef.current = next;
    setState((latest) => ({ ...latest, saved: next }));
    setLastSavedAt(new Date());
    // A draft's painVas is a point of its author's chart of pain, as its text is of the timeline.
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: recordKeys.timeline(current.patientId) }),
      queryClient.invalidateQueries({ queryKey: measureKeys.pain(current.patientId) }),
    ]);
    return next;
  }

  /** Save `current` after any save already on its way (never two creates of one note). */
  function persist(current: EntryFormValues): Promise<SavedDraft> {
    const run = queue.current.then(() => persistNow(current));
    queue.current = run.catch(() => undefined);
    return run;
  }

  const autosave = useMutation({ mutationFn: (current: EntryFormValues) => persist(current) });
  const save = useMutation({
    mutationFn: () => persist(values),
    onSuccess: async () => {
      await navigate({
        to: '/patients/$patientId',
        params: { patientId: values.patientId },
        state: { recordsNotice: 'entrySaved' },
      });
    },
    onError: () => setFailedAt('save'),
  });
  const sign = useMutation({
    mutationFn: async () => {
      setFailedAt('save');
      const done = await persist(values);
      setFailedAt('sign');
      return signEntry(done.id, done.etag);
    },
    onSuccess: async () => {
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: recordKeys.all });
      await queryClient.invalidateQueries({ queryKey: dashboardKeys.stats });
      await navigate({
        to: '/patients/$patientId',
        params: { patientId: values.patientId },
        state: { recordsNotice: 'entrySigned' },
      });
    },
    onError: () => setConfirming(false),
  });

  const failed = save.error ?? sign.error ?? autosave.error;
  const error = failed ? toApiError(failed) : null;
  // After a refusal (stale, signed, not yours) saving by itself again would only fail again.
  const stopped = !!error && [403, 409, 412].includes(error.status ?? 0);
  const busy = save.isPending || sign.isPending;

  const serialised = JSON.stringify(toEntryBody(values));
  const dirty = serialised !== saved?.body;
  const worthSaving = hasContent(values, templateOf(values.type)) || !!saved;
  const clientErrors = validateEntry(values);
  useEffect(() => {
    if (!touched.current || !dirty || !worthSaving || stopped || busy || autosave.isPending) return;
    if (Object.keys(clientErrors).length > 0) return;
    const timer = window.setTimeout(() => autosave.mutate(values), AUTOSAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
    // `values` changes with `serialised`; the rest are read when the timer fires.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [serialised, dirty, worthSaving, stopped, busy, autosave.isPending]);

  const serverErrors = error ? entryFieldErrors(error) : {};
  for (const field of dismissed) delete serverErrors[field];
  const errors: EntryFieldErrors = { ...serverErrors, ...checked };
  const message = (field: EntryField) => {
    const key = errors[field];
    return key ? t(key) : undefined;
  };

  function check(): boolean {
    setDismissed(new Set());
    autosave.reset();
    const found = validateEntry(values);
    setChecked(found);
    const first = firstErrorField(found);
    if (first) document.getElementById(entryFieldId(first))?.focus();
    return !first;
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    sign.reset();
    if (check()) save.mutate();
  }

  function askToSign() {
    save.reset();
    if (check()) setConfirming(true);
  }

  function changeType(next: string) {
    if (!isEntryType(next)) return;
    touched.current = true;
    setState((current) => ({
      ...current,
      values: { ...applyTemplate(current.values, templateOf(current.values.type), templateOf(next)), type: next },
    }));
  }

  const topMessage = (() => {
    if (!error || error.status === 412) return null;
    if (Object.keys(errors).length > 0) return t('errors.validation');
    if (error.status === 409) return t('records.errors.alreadySigned');
    if (error.status === 403) return t(failedAt === 'sign' ? 'records.errors.signNotYours' : 'records.errors.notYours');
    return errorMessage(error, t);
  })();

  const autosaveNote = (() => {
    if (autosave.isPending) return t('common.saving');
    if (autosave.isError && !stopped) return t('records.autosaveFailed');
    if (lastSavedAt && !dirty) return t('records.autosaved', { time: formatTime(lastSavedAt, locale) });
    return '';
  })();

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-5" aria-busy={busy}>
      {error?.status === 412 && (
        <Alert tone="warning">
          <p className="mb-2">{t('records.errors.stale')}</p>
          {onReload ? (
            <button type="button" className={secondaryButton} onClick={onReload}>
              {t('common.reload')}
            </button>
          ) : (
            saved && (
              <Link to="/records/$entryId/edit" params={{ entryId: saved.id }} className={linkClass}>
                {t('common.reload')}
              </Link>
            )
          )}
        </Alert>
      )}
      {(Object.keys(checked).length > 0 || topMessage) && (
        <Alert>
          <p>{topMessage ?? t('errors.validation')}</p>
          {error?.status === 409 && (
            <Link to="/patients/$patientId" params={{ patientId: values.patientId }} className={linkClass}>
              {t('records.seeHistory')}
            </Link>
          )}
        </Alert>
      )}

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <SelectField
          id={entryFieldId('type')}
          label={t('records.type')}
          value={values.type}
          error={message('type')}
          hint={templates.isError ? t('records.templatesUnavailable') : t('records.typeHint')}
          onChange={(event) => changeType(event.target.value)}
        >
          {ENTRY_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(ENTRY_TYPE_LABELS[type])}
            </option>
          ))}
        </SelectField>
        <DateField
          id={entryFieldId('date')}
          label={t('records.date')}
          required
          max={localIsoDate()}
          value={values.date}
          error={message('date')}
          onChange={(date) => update({ date }, ['date'])}
        />
        <SelectField
          id={entryFieldId('episodeId')}
          label={t('records.episode')}
          value={values.episodeId}
          error={message('episodeId')}
          hint={episodes.isError ? errorMessage(episodes.error, t) : undefined}
          onChange={(event) => update({ episodeId: event.target.value }, ['episodeId'])}
        >
          <option value="">{t('records.noEpisode')}</option>
          {choosableEpisodes.map((episode) => (
            <option key={episode.id} value={episode.id}>
              {`${episode.reason} · ${formatCalendarDate(episode.openedOn, locale)}`}
            </option>
          ))}
        </SelectField>
        <Field
          id={entryFieldId('painVas')}
          label={t('records.painVas')}
          hint={t('records.painVasHint')}
          type="number"
          inputMode="numeric"
          min={0}
          max={PAIN_MAX}
          step={1}
          value={values.painVas}
          error={message('painVas')}
          onChange={(event) => update({ painVas: event.target.value }, ['painVas'])}
        />
      </div>
      {values.appointmentId && (
        <p className="text-sm text-slate-700" data-testid="entry-session">
          {t('records.forSession')}
        </p>
      )}

      {SOAP_SECTIONS.map((section) => (
        <TextAreaField
          key={section}
          id={entryFieldId(section)}
          label={t(SECTION_LABELS[section])}
          rows={4}
          maxLength={SECTION_MAX}
          value={values[section]}
          error={message(section)}
          onChange={(event) => update({ [section]: event.target.value }, [section])}
        />
      ))}

      <p className="min-h-5 text-sm text-slate-600" role="status" aria-live="polite">
        {autosaveNote}
      </p>

      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={secondaryButton} disabled={busy}>
          {save.isPending ? t('common.saving') : t('records.saveDraft')}
        </button>
        <button type="button" className={primaryButton} disabled={busy} onClick={askToSign}>
          {t('records.sign')}
        </button>
        {children}
      </div>

      {confirming && (
        <Modal title={t('records.signConfirmTitle')} closeLabel={t('common.close')} onClose={() => setConfirming(false)}>
          <p className="mb-4">{t('records.signConfirm')}</p>
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              className={primaryButton}
              disabled={sign.isPending}
              data-autofocus
              onClick={() => sign.mutate()}
            >
              {sign.isPending ? t('records.signing') : t('records.signNow')}
            </button>
            <button type="button" className={secondaryButton} onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </Modal>
      )}
    </form>
  );
}
