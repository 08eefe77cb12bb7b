import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import {
  createInvoice,
  type Customer,
  customerForPatient,
  type DraftSeries,
  getCustomer,
  issueInvoice,
  listBillableSessions,
  updateInvoice,
} from '../../api/billing';
import { useIdempotencyKey } from '../../api/idempotency';
import { type ApiError, errorMessage, toApiError } from '../../api/problem';
import { billableSessionKeys, billingKeys, customerKeys, dashboardKeys, invoiceKeys } from '../../api/queryKeys';
import { useSession } from '../../auth/SessionContext';
import { Alert } from '../../components/Alert';
import { TextAreaField } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { focusRing, linkClass, primaryButton, secondaryButton } from '../../components/styles';
import { useI18n } from '../../i18n/useI18n';
import { type PickedPatient, PatientPicker } from '../calendar/PatientPicker';
import { CustomerPicker } from './CustomerPicker';
import {
  type CustomerChoice,
  formTotals,
  type InvoiceFieldErrors,
  invoiceFieldErrors,
  invoiceFieldId,
  type InvoiceFieldPath,
  type InvoiceFormValues,
  NOTES_MAX,
  type SessionLine,
  sessionLine,
  toInvoiceBody,
  validateInvoice,
} from './invoiceForm';
import { keptForm, useKeepOnExpiry } from './keptForm';
import { CUSTOMER_KIND_LABELS } from './labels';
import { LinesEditor } from './LinesEditor';
import { formatMoney, SIMPLIFIED_MAX_CENTS } from './money';
import { SessionsField } from './SessionsField';
import { TotalsBox } from './TotalsBox';

/** A saved draft: its id, the ETag of its version, and the body that version holds. */
interface SavedDraft {
  id: string;
  etag: string;
  body: string | null;
}

/** What the editor keeps over an expired session. */
interface EditorState {
  values: InvoiceFormValues;
  saved: SavedDraft | null;
}

interface InvoiceEditorProps {
  initial: InvoiceFormValues;
  /** Editing a stored draft: its id, ETag and own session lines. */
  draft?: { id: string; etag: string; sessions: readonly SessionLine[] };
  /** The name the form is kept under if the session expires. */
  keptName: string;
  /** Ask the page to fetch the draft again (after a 412). */
  onReload?: () => void;
  /** Look up the patient's own customer at once (the form opened for a patient). */
  lookUpPayer?: boolean;
  children?: ReactNode;
}

const SERIES_CHOICES: readonly { value: DraftSeries; label: 'invoices.series.full' | 'invoices.series.simplified'; hint: 'invoices.series.fullHint' | 'invoices.series.simplifiedHint' }[] = [
  { value: 'F', label: 'invoices.series.full', hint: 'invoices.series.fullHint' },
  { value: 'S', label: 'invoices.series.simplified', hint: 'invoices.series.simplifiedHint' },
];

const legendClass = 'mb-2 text-lg font-semibold text-slate-900';
const sectionClass = 'flex flex-col gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200';

/** Whose the invoice is: the insurer who pays the patient's sessions, else the patient's own. */
function payerOf(own: Customer): CustomerChoice {
  return own.insurerId ? { id: own.insurerId, name: own.insurerName ?? own.name } : { id: own.id, name: own.name };
}

/** The code billing's 409 carries when the clinic settings lack a legal name or tax id. */
const SETTINGS_INCOMPLETE = 'settings_incomplete';

/** Whether a 409 on issuing says the clinic's letterhead lacks its legal name or tax id. */
function settingsMissing(error: ApiError): boolean {
  return error.code === SETTINGS_INCOMPLETE;
}

/**
 * The invoice form (a new invoice or a draft): customer, series, the patient's sessions, lines by
 * hand, live totals; save as a draft or issue (after a confirmation). Nothing typed is lost on a
 * 422, 409 or 412, nor when the session expires (kept in this tab until signed in again).
 */
export function InvoiceEditor({ initial, draft, keptName, onReload, lookUpPayer, children }: InvoiceEditorProps) {
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
  const [checked, setChecked] = useState<InvoiceFieldErrors>({});
  const [confirming, setConfirming] = useState(false);
  // Which step a failure came from: saving the draft, or issuing it (its 422s mean other things).
  const stage = useRef<'save' | 'issue'>('save');
  const [failedAt, setFailedAt] = useState<'save' | 'issue'>('save');

  const update = (change: (values: InvoiceFormValues) => Partial<InvoiceFormValues>) =>
    setState((current) => ({ ...current, values: { ...current.values, ...change(current.values) } }));
  // Server errors of fields edited since (a new submission shows the server's word again).
  const [dismissed, setDismissed] = useState<ReadonlySet<InvoiceFieldPath>>(new Set());
  const forget = (...paths: InvoiceFieldPath[]) => {
    setChecked((current) => {
      const next = { ...current };
      for (const path of paths) delete next[path];
      return next;
    });
    setDismissed((current) => new Set([...current, ...paths]));
  };

  // The patient's own customer (made on demand by billing), and the payer it names: the insurer
  // who pays their sessions, unless asked for the patient themself (`own`).
  const ownCustomer = useMutation({
    mutationFn: ({ patientId }: { patientId: string; own: boolean }) => customerForPatient(patientId),
    onSuccess: (found, { own }) => {
      queryClient.setQueryData(customerKeys.detail(found.id), { data: found, etag: `"${found.version}"` });
      update((current) => {
        if (current.customer && !own) return {};
        return { customer: own ? { id: found.id, name: found.name } : payerOf(found) };
      });
    },
  });
  const lookedUp = useRef(false);
  useEffect(() => {
    if (!lookUpPayer || lookedUp.current || !values.patient || values.customer) return;
    lookedUp.current = true;
    ownCustomer.mutate({ patientId: values.patient.id, own: false });
  }, [lookUpPayer, values.patient, values.customer, ownCustomer]);

  const customer = useQuery({
    queryKey: customerKeys.detail(values.customer?.id ?? ''),
    queryFn: () => getCustomer(values.customer?.id ?? ''),
    enabled: !!values.customer,
  });
  const customerData = customer.data?.data;

  const sessionsQuery = { patientId: values.patient?.id, uninvoiced: true };
  const sessions = useQuery({
    queryKey: billableSessionKeys.list(sessionsQuery),
    queryFn: () => listBillableSessions(sessionsQuery),
    enabled: !!values.patient,
  });
  const knownSessions = useMemo(() => {
    const known = new Map<string, SessionLine>();
    for (const line of draft?.sessions ?? []) known.set(line.id, line);
    for (const session of sessions.data?.member ?? []) {
      if (session.patientId === values.patient?.id && !known.has(session.appointmentId)) {
        known.set(session.appointmentId, sessionLine(session, draft?.id ?? saved?.id));
      }
    }
    return known;
  }, [draft, sessions.data, values.patient, saved?.id]);
  const totals = formTotals(values, knownSessions);
  // A chosen session the API no longer offers (invoiced meanwhile, another patient's): say so.
  const missingSessions =
    sessions.isSuccess && values.sessionIds.some((id) => !knownSessions.has(id));

  async function persist(): Promise<SavedDraft> {
    const body = toInvoiceBody(values);
    const serialised = JSON.stringify(body);
    if (saved && saved.body === serialised) return saved;
    const result = saved
      ? await updateInvoice(saved.id, body, saved.etag)
      : await createInvoice(body, idempotency.keyFor(body));
    if (!saved) idempotency.reset();
    const next = { id: result.data.id, etag: result.etag, body: serialised };
    setState((current) => ({ ...current, saved: next }));
    // Not the sessions: once on the draft they may leave the "uninvoiced" list, and this form
    // must still show (and total) the ones it took.
    await queryClient.invalidateQueries({ queryKey: invoiceKeys.all });
    return next;
  }

  const save = useMutation({
    mutationFn: async () => {
      stage.current = 'save';
      return persist();
    },
    onSuccess: async (done) => {
      await navigate({
        to: '/invoices/$invoiceId',
        params: { invoiceId: done.id },
        state: { billingNotice: 'invoiceSaved' },
      });
    },
    onError: () => setFailedAt(stage.current),
  });
  const issue = useMutation({
    mutationFn: async () => {
      stage.current = 'save';
      const done = await persist();
      stage.current = 'issue';
      return issueInvoice(done.id, done.etag);
    },
    onSuccess: async (issued) => {
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: billingKeys.all });
      await queryClient.invalidateQueries({ queryKey: dashboardKeys.stats });
      await navigate({
        to: '/invoices/$invoiceId',
        params: { invoiceId: issued.data.id },
        state: { billingNotice: 'invoiceIssued' },
      });
    },
    onError: () => {
      setFailedAt(stage.current);
      setConfirming(false);
    },
  });
  const failed = save.error ?? issue.error;
  const error = failed ? toApiError(failed) : null;
  const issuing = failedAt === 'issue';
  const busy = save.isPending || issue.isPending;
  const serverErrors = error ? invoiceFieldErrors(error, issuing) : {};
  for (const path of dismissed) delete serverErrors[path];
  const errors: InvoiceFieldErrors = { ...serverErrors, ...checked };
  const message = (path: InvoiceFieldPath) => {
    const key = errors[path];
    return key ? t(key) : undefined;
  };

  function check(): boolean {
    setDismissed(new Set());
    const found = validateInvoice(values);
    setChecked(found);
    const first = Object.keys(found)[0] as InvoiceFieldPath | undefined;
    if (first) document.getElementById(invoiceFieldId(first))?.focus();
    return !first;
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    issue.reset();
    if (check()) save.mutate();
  }

  function askToIssue() {
    save.reset();
    if (check()) setConfirming(true);
  }

  function changePatient(patient: PickedPatient | null) {
    forget('patientId', 'sessionIds', 'customerId');
    ownCustomer.reset();
    update((current) => ({ patient, sessionIds: patient?.id === current.patient?.id ? current.sessionIds : [] }));
    if (patient && !values.customer) ownCustomer.mutate({ patientId: patient.id, own: false });
  }

  const topMessage = (() => {
    if (!error || error.status === 412) return null;
    if (Object.keys(errors).length > 0) return t('errors.validation');
    if (error.status === 409 && issuing) {
      return t(settingsMissing(error) ? 'invoices.errors.settingsMissing' : 'invoices.errors.issueConflict');
    }
    if (error.status === 409 && !saved?.body) return errorMessage(error, t);
    if (error.status === 409) return t('invoices.errors.notDraft');
    return errorMessage(error, t);
  })();
  const overSimplified = values.series === 'S' && totals.totalCents > SIMPLIFIED_MAX_CENTS;
  const incompleteForFull =
    values.series === 'F' && customerData && (!customerData.taxId || !customerData.address);
  const customerIsOwn = !!customerData && customerData.patientId === values.patient?.id;

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-6" aria-busy={busy}>
      {error?.status === 412 && (
        <Alert tone="warning">
          <p className="mb-2">{t('invoices.errors.stale')}</p>
          {onReload && (
            <button type="button" className={secondaryButton} onClick={onReload}>
              {t('common.reload')}
            </button>
          )}
        </Alert>
      )}
      {(Object.keys(checked).length > 0 || topMessage) && (
        <Alert>
          {saved && issuing && !draft && <p className="mb-1">{t('invoices.savedNotIssued')}</p>}
          <p>{topMessage ?? t('errors.validation')}</p>
          {error?.status === 409 && issuing && saved && (
            <Link to="/invoices/$invoiceId" params={{ invoiceId: saved.id }} className={linkClass}>
              {t('invoices.seeInvoice')}
            </Link>
          )}
        </Alert>
      )}

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <fieldset className={sectionClass}>
          <legend className={`${legendClass} float-left`}>{t('invoices.patientSection')}</legend>
          <p className="clear-left text-sm text-slate-600">{t('invoices.patientHint')}</p>
          <PatientPicker
            id={invoiceFieldId('patientId')}
            value={values.patient}
            onChange={changePatient}
            error={message('patientId')}
          />
          {ownCustomer.isPending && <p className="text-sm text-slate-600">{t('invoices.findingCustomer')}</p>}
          {ownCustomer.isError && (
            <Alert tone="warning">
              {toApiError(ownCustomer.error).status === 422
                ? t('invoices.errors.patientUnknown')
                : errorMessage(ownCustomer.error, t)}
            </Alert>
          )}
        </fieldset>

        <fieldset className={sectionClass}>
          <legend className={`${legendClass} float-left`}>{t('invoices.customerSection')}</legend>
          {values.customer ? (
            <div className="clear-left flex flex-col gap-2">
              <div
                id={invoiceFieldId('customerId')}
                tabIndex={-1}
                className="rounded-md border border-slate-300 px-3 py-2"
                aria-describedby={message('customerId') ? `${invoiceFieldId('customerId')}-error` : undefined}
              >
                <p className="font-medium" data-testid="invoice-customer">
                  {values.customer.name}
                </p>
                {customerData && (
                  <p className="text-sm text-slate-600">
                    {[
                      t(CUSTOMER_KIND_LABELS[customerData.kind]),
                      customerData.taxId ?? t('customers.noTaxId'),
                      [customerData.address, customerData.postalCode, customerData.city].filter(Boolean).join(', ') ||
                        t('customers.noAddress'),
                    ].join(' · ')}
                  </p>
                )}
              </div>
              {message('customerId') && (
                <p id={`${invoiceFieldId('customerId')}-error`} className="text-sm font-medium text-red-700">
                  {message('customerId')}
                </p>
              )}
              {incompleteForFull && (
                <p className="text-sm text-amber-900">{t('invoices.customerIncompleteHint')}</p>
              )}
              <div className="flex flex-wrap gap-2">
                <button
                  type="button"
                  className={`${secondaryButton} px-3 py-1 text-sm`}
                  onClick={() => {
                    forget('customerId');
                    update(() => ({ customer: null }));
                  }}
                >
                  {t('invoices.changeCustomer')}
                </button>
                {values.patient && !customerIsOwn && (
                  <button
                    type="button"
                    className={`${secondaryButton} px-3 py-1 text-sm`}
                    disabled={ownCustomer.isPending}
                    onClick={() => {
                      const patientId = values.patient?.id;
                      if (!patientId) return;
                      forget('customerId');
                      ownCustomer.mutate({ patientId, own: true });
                    }}
                  >
                    {t('invoices.billPatient')}
                  </button>
                )}
                <Link
                  to="/customers/$customerId"
                  params={{ customerId: values.customer.id }}
                  target="_blank"
                  rel="noopener"
                  className={`${linkClass} self-center text-sm`}
                >
                  {t('invoices.editCustomer')}
                  <span className="sr-only">{` ${t('common.opensInNewTab')}`}</span>
                </Link>
              </div>
            </div>
          ) : (
            <div className="clear-left flex flex-col gap-2">
              <CustomerPicker
                id={invoiceFieldId('customerId')}
                label={t('invoices.findCustomer')}
                error={message('customerId')}
                onPick={(picked) => {
                  forget('customerId');
                  update(() => ({ customer: picked }));
                }}
              />
              {values.patient && (
                <button
                  type="button"
                  className={`${secondaryButton} self-start px-3 py-1 text-sm`}
                  disabled={ownCustomer.isPending}
                  onClick={() => {
                    const patientId = values.patient?.id;
                    if (patientId) ownCustomer.mutate({ patientId, own: true });
                  }}
                >
                  {t('invoices.billPatient')}
                </button>
              )}
              <Link to="/customers/new" target="_blank" rel="noopener" className={`${linkClass} self-start text-sm`}>
                {t('customers.new')}
                <span className="sr-only">{` ${t('common.opensInNewTab')}`}</span>
              </Link>
            </div>
          )}
        </fieldset>
      </div>

      <fieldset className={sectionClass}>
        <legend className={`${legendClass} float-left`}>{t('invoices.seriesLabel')}</legend>
        <div
          id={invoiceFieldId('series')}
          tabIndex={-1}
          className="clear-left grid grid-cols-1 gap-2 sm:grid-cols-2"
        >
          {SERIES_CHOICES.map(({ value, label, hint }) => (
            <div
              key={value}
              className="flex items-start gap-3 rounded-md border border-slate-200 p-3 has-[:checked]:border-teal-700 has-[:checked]:bg-teal-50"
            >
              <input
                id={`invoice-series-${value}`}
                type="radio"
                name="series"
                value={value}
                className={`mt-1 h-4 w-4 shrink-0 ${focusRing}`}
                checked={values.series === value}
                aria-describedby={`invoice-series-${value}-hint`}
                onChange={() => {
                  forget('series');
                  update(() => ({ series: value }));
                }}
              />
              <div>
                <label htmlFor={`invoice-series-${value}`} className="block font-medium">
                  {t(label)}
                </label>
                <p id={`invoice-series-${value}-hint`} className="text-sm text-slate-600">
                  {t(hint)}
                </p>
              </div>
            </div>
          ))}
        </div>
        {message('series') && <p className="text-sm font-medium text-red-700">{message('series')}</p>}
        {overSimplified && (
          <p className="text-sm text-amber-900">
            {t('invoices.simplifiedOver', { limit: formatMoney('400.00', locale) })}
          </p>
        )}
      </fieldset>

      {values.patient && (
        <section className={sectionClass}>
          <SessionsField
            id={invoiceFieldId('sessionIds')}
            sessions={[...knownSessions.values()]}
            chosen={values.sessionIds}
            loading={sessions.isPending}
            failed={sessions.isError ? errorMessage(sessions.error, t) : null}
            error={message('sessionIds')}
            onChange={(sessionIds) => {
              forget('sessionIds', 'lines');
              update(() => ({ sessionIds }));
            }}
          />
          {missingSessions && <Alert tone="warning">{t('invoices.sessionGone')}</Alert>}
        </section>
      )}

      <fieldset className={sectionClass}>
        <legend className={`${legendClass} float-left`}>{t('invoices.linesSection')}</legend>
        <p
          id={invoiceFieldId('lines')}
          tabIndex={-1}
          className={`clear-left text-sm ${message('lines') ? 'font-medium text-red-700' : 'text-slate-600'}`}
        >
          {message('lines') ?? t('invoices.linesHint')}
        </p>
        <LinesEditor
          lines={values.lines}
          amounts={totals.amounts.slice(values.sessionIds.filter((id) => knownSessions.has(id)).length)}
          errors={errors}
          onEdited={(path) => forget(path, 'lines')}
          onChange={(lines) => update(() => ({ lines }))}
        />
      </fieldset>

      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-2">
        <TextAreaField
          id={invoiceFieldId('notes')}
          label={t('invoices.notes')}
          hint={t('invoices.notesHint')}
          rows={3}
          maxLength={NOTES_MAX}
          value={values.notes}
          error={message('notes')}
          onChange={(event) => {
            const notes = event.target.value;
            forget('notes');
            update(() => ({ notes }));
          }}
        />
        <TotalsBox
          breakdown={totals.breakdown}
          base={totals.base}
          tax={totals.tax}
          total={totals.total}
          incomplete={totals.incomplete}
          live
        />
      </div>

      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={secondaryButton} disabled={busy}>
          {save.isPending ? t('common.saving') : t('invoices.saveDraft')}
        </button>
        <button type="button" className={primaryButton} disabled={busy} onClick={askToIssue}>
          {t('invoices.issue')}
        </button>
        {children}
      </div>

      {confirming && (
        <Modal title={t('invoices.issueConfirmTitle')} closeLabel={t('common.close')} onClose={() => setConfirming(false)}>
          <p className="mb-2">{t('invoices.issueConfirm')}</p>
          <p className="mb-4 font-medium">
            {t('invoices.issueSummary', {
              customer: values.customer?.name ?? values.patient?.fullName ?? t('invoices.finalConsumer'),
              total: formatMoney(totals.total, locale),
            })}
          </p>
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              className={primaryButton}
              disabled={issue.isPending}
              data-autofocus
              onClick={() => issue.mutate()}
            >
              {issue.isPending ? t('invoices.issuing') : t('invoices.issueNow')}
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
