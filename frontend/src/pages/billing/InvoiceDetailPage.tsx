import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate, useRouterState } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import {
  deleteInvoice,
  downloadInvoicePdf,
  getInvoice,
  type Invoice,
  issueInvoice,
} from '../../api/billing';
import type { Versioned } from '../../api/http';
import { errorMessage, toApiError } from '../../api/problem';
import { billingKeys, dashboardKeys, invoiceKeys } from '../../api/queryKeys';
import { Alert } from '../../components/Alert';
import { Modal } from '../../components/Modal';
import { dangerButton, linkClass, primaryButton, secondaryButton } from '../../components/styles';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { formatCalendarDate } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import { InvoiceStatusBadge, OutstandingBadge } from './Badges';
import { saveFile } from './download';
import { invoiceFieldErrors } from './invoiceForm';
import {
  BILLING_NOTICES,
  type BillingNotice,
  PAYMENT_METHOD_LABELS,
  recipientName,
  RECTIFICATION_METHOD_LABELS,
  REASON_LABELS,
  SERIES_LABELS,
} from './labels';
import { vatRateLabel } from './LinesEditor';
import { formatMoney, formatPercent, formatQuantity, isPositive, vatRateOf } from './money';
import { PaymentDialog } from './PaymentDialog';
import { RectifyDialog } from './RectifyDialog';
import { TotalsBox } from './TotalsBox';

const route = getRouteApi('/app/invoices/$invoiceId');
const card = 'rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200';
const cell = 'px-3 py-2 text-left align-top';
const amountCell = 'px-3 py-2 text-right align-top tabular-nums whitespace-nowrap';
const narrowHidden = 'hidden sm:table-cell';

/** `/invoices/$invoiceId`: the invoice as issued (or its draft), its payments and corrections. */
export function InvoiceDetailPage() {
  const { t } = useI18n();
  const { invoiceId } = route.useParams();
  const invoice = useQuery({ queryKey: invoiceKeys.detail(invoiceId), queryFn: () => getInvoice(invoiceId) });
  const stored = invoice.data?.data;
  useDocumentTitle(stored ? (stored.number ?? t('invoices.draft')) : t('invoices.title'));

  return (
    <section aria-labelledby="invoice-title">
      <p className="mb-2">
        <Link to="/invoices" className={linkClass}>
          {t('invoices.backToList')}
        </Link>
      </p>
      {invoice.isPending && <p role="status">{t('common.loading')}</p>}
      {invoice.isError && (
        <div className="flex flex-col items-start gap-3">
          <h1 id="invoice-title" className="text-2xl font-semibold">
            {t('invoices.title')}
          </h1>
          <Alert>{errorMessage(invoice.error, t)}</Alert>
          <button type="button" className={secondaryButton} onClick={() => void invoice.refetch()}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {invoice.data && <InvoiceView loaded={invoice.data} onReload={() => void invoice.refetch()} />}
    </section>
  );
}

type Dialog = 'issue' | 'discard' | 'payment' | 'rectify' | null;

function InvoiceView({ loaded, onReload }: { loaded: Versioned<Invoice>; onReload: () => void }) {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const routedNotice = useRouterState({ select: (state) => state.location.state.billingNotice });
  const [notice, setNotice] = useState<BillingNotice | 'paymentRecorded' | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const { data: invoice, etag } = loaded;
  const draft = invoice.status === 'draft';
  const owes = !draft && isPositive(invoice.balance);

  async function refresh() {
    await queryClient.invalidateQueries({ queryKey: billingKeys.all });
    await queryClient.invalidateQueries({ queryKey: dashboardKeys.stats });
  }

  const pdf = useMutation({ mutationFn: () => downloadInvoicePdf(invoice.id), onSuccess: saveFile });
  const issue = useMutation({
    mutationFn: () => issueInvoice(invoice.id, etag),
    onSuccess: async (issued) => {
      setDialog(null);
      setNotice('invoiceIssued');
      queryClient.setQueryData(invoiceKeys.detail(invoice.id), issued);
      await refresh();
    },
    onError: () => setDialog(null),
  });
  const discard = useMutation({
    mutationFn: () => deleteInvoice(invoice.id, etag),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: invoiceKeys.detail(invoice.id) });
      await refresh();
      await navigate({ to: '/invoices', state: { billingNotice: 'invoiceDiscarded' } });
    },
    onError: () => setDialog(null),
  });

  const failed = issue.error ?? discard.error ?? pdf.error;
  const error = failed ? toApiError(failed) : null;
  const issueProblem = issue.error ? Object.values(invoiceFieldErrors(toApiError(issue.error), true))[0] : undefined;
  const shownNotice = notice ?? routedNotice;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 id="invoice-title" className="flex flex-wrap items-center gap-3 text-2xl font-semibold">
            {invoice.number ?? t('invoices.draft')}
            <InvoiceStatusBadge status={invoice.status} />
            {owes && <OutstandingBadge amount={invoice.balance} />}
          </h1>
          <p className="mt-1 text-slate-700">
            {[
              t(SERIES_LABELS[invoice.series]),
              invoice.issuedOn
                ? t('invoices.issuedOnDate', { date: formatCalendarDate(invoice.issuedOn, locale) })
                : t('invoices.notIssuedYet'),
            ].join(' · ')}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          {draft && (
            <>
              <Link to="/invoices/$invoiceId/edit" params={{ invoiceId: invoice.id }} className={secondaryButton}>
                {t('invoices.edit')}
              </Link>
              <button type="button" className={primaryButton} onClick={() => setDialog('issue')}>
                {t('invoices.issue')}
              </button>
              <button type="button" className={dangerButton} onClick={() => setDialog('discard')}>
                {t('invoices.discard')}
              </button>
            </>
          )}
          {owes && (
            <button type="button" className={primaryButton} onClick={() => setDialog('payment')}>
              {t('invoices.payment.record')}
            </button>
          )}
          {!draft && (
            <button type="button" className={secondaryButton} onClick={() => setDialog('rectify')}>
              {t('invoices.rectify.action')}
            </button>
          )}
          <button type="button" className={secondaryButton} disabled={pdf.isPending} onClick={() => pdf.mutate()}>
            {pdf.isPending ? t('invoices.downloading') : t('invoices.downloadPdf')}
          </button>
        </div>
      </div>

      {shownNotice && !error && (
        <Alert tone="success">
          {t(shownNotice === 'paymentRecorded' ? 'invoices.notice.paymentRecorded' : BILLING_NOTICES[shownNotice])}
        </Alert>
      )}
      {error?.status === 412 && (
        <Alert tone="warning">
          <p className="mb-2">{t('invoices.errors.stale')}</p>
          <button
            type="button"
            className={secondaryButton}
            onClick={() => {
              issue.reset();
              onReload();
            }}
          >
            {t('common.reload')}
          </button>
        </Alert>
      )}
      {error && error.status !== 412 && (
        <Alert>
          <p>
            {issueProblem
              ? t(issueProblem)
              : issue.error && error.status === 409
                ? t('invoices.errors.issueConflict')
                : errorMessage(error, t)}
          </p>
          {issueProblem === 'invoices.errors.customerIncomplete' && invoice.customerId && (
            <Link to="/customers/$customerId" params={{ customerId: invoice.customerId }} className={linkClass}>
              {t('invoices.editCustomer')}
            </Link>
          )}
        </Alert>
      )}

      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <CustomerCard invoice={invoice} />
        <section aria-labelledby="invoice-about" className={card}>
          <h2 id="invoice-about" className="mb-2 text-lg font-semibold">
            {t('invoices.about')}
          </h2>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="font-medium text-slate-600">{t('invoices.statusLabel')}</dt>
            <dd>
              <InvoiceStatusBadge status={invoice.status} />
            </dd>
            <dt className="font-medium text-slate-600">{t('invoices.language')}</dt>
            <dd>{t(invoice.language === 'en' ? 'language.en' : 'language.es')}</dd>
            {invoice.patientId && (
              <>
                <dt className="font-medium text-slate-600">{t('invoices.patient')}</dt>
                <dd>
                  <Link to="/patients/$patientId" params={{ patientId: invoice.patientId }} className={linkClass}>
                    {t('invoices.seePatient')}
                  </Link>
                </dd>
              </>
            )}
            {invoice.rectifies && (
              <>
                <dt className="font-medium text-slate-600">{t('invoices.rectifies')}</dt>
                <dd>
                  <Link to="/invoices/$invoiceId" params={{ invoiceId: invoice.rectifies.id }} className={linkClass}>
                    {invoice.rectifies.number ?? t('invoices.draft')}
                  </Link>
                  {invoice.rectifies.issuedOn && ` (${formatCalendarDate(invoice.rectifies.issuedOn, locale)})`}
                </dd>
              </>
            )}
            {invoice.rectification && (
              <>
                <dt className="font-medium text-slate-600">{t('invoices.rectify.method')}</dt>
                <dd>{t(RECTIFICATION_METHOD_LABELS[invoice.rectification.method])}</dd>
                <dt className="font-medium text-slate-600">{t('invoices.rectify.reasonCode')}</dt>
                <dd>{`${invoice.rectification.reasonCode} · ${t(REASON_LABELS[invoice.rectification.reasonCode])}`}</dd>
                <dt className="font-medium text-slate-600">{t('invoices.rectify.reason')}</dt>
                <dd className="break-words">{invoice.rectification.reason}</dd>
              </>
            )}
            {invoice.rectifiedBy.length > 0 && (
              <>
                <dt className="font-medium text-slate-600">{t('invoices.rectifiedBy')}</dt>
                <dd className="flex flex-wrap gap-x-3">
                  {invoice.rectifiedBy.map((other) => (
                    <Link key={other.id} to="/invoices/$invoiceId" params={{ invoiceId: other.id }} className={linkClass}>
                      {other.number ?? t('invoices.draft')}
                    </Link>
                  ))}
                </dd>
              </>
            )}
          </dl>
        </section>
      </div>

      <LinesTable invoice={invoice} />

      <div className="grid grid-cols-1 items-start gap-4 md:grid-cols-2">
        <div className="flex flex-col gap-4">
          {invoice.notes && (
            <section aria-labelledby="invoice-notes" className={card}>
              <h2 id="invoice-notes" className="mb-2 text-lg font-semibold">
                {t('invoices.notes')}
              </h2>
              <p className="whitespace-pre-line break-words text-sm">{invoice.notes}</p>
            </section>
          )}
          {!draft && <PaymentsSection invoice={invoice} />}
        </div>
        <div className="flex md:justify-end">
          <TotalsBox
            breakdown={invoice.breakdown}
            base={invoice.base}
            tax={invoice.tax}
            total={invoice.total}
            {...(draft ? {} : { paid: invoice.paid, balance: invoice.balance })}
          />
        </div>
      </div>

      {invoice.verifactu && (
        <section aria-labelledby="invoice-verifactu" className={card}>
          <h2 id="invoice-verifactu" className="mb-2 text-lg font-semibold">
            {t('invoices.verifactu.title')}
          </h2>
          <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
            <dt className="font-medium text-slate-600">{t('invoices.verifactu.hash')}</dt>
            <dd className="break-all font-mono text-xs">{invoice.verifactu.hash}</dd>
            <dt className="font-medium text-slate-600">{t('invoices.verifactu.qr')}</dt>
            <dd>
              <a href={invoice.verifactu.qrUrl} target="_blank" rel="noopener noreferrer" className={linkClass}>
                {t('invoices.verifactu.check')}
                <span className="sr-only">{` ${t('common.opensInNewTab')}`}</span>
              </a>
            </dd>
          </dl>
        </section>
      )}

      {dialog === 'issue' && (
        <ConfirmDialog
          title={t('invoices.issueConfirmTitle')}
          confirm={issue.isPending ? t('invoices.issuing') : t('invoices.issueNow')}
          busy={issue.isPending}
          onConfirm={() => issue.mutate()}
          onClose={() => setDialog(null)}
        >
          <p className="mb-2">{t('invoices.issueConfirm')}</p>
          <p className="mb-4 font-medium">
            {t('invoices.issueSummary', {
              customer: recipientName(invoice.customer.name, t),
              total: formatMoney(invoice.total, locale),
            })}
          </p>
        </ConfirmDialog>
      )}
      {dialog === 'discard' && (
        <ConfirmDialog
          title={t('invoices.discardTitle')}
          confirm={t('invoices.discard')}
          danger
          busy={discard.isPending}
          onConfirm={() => discard.mutate()}
          onClose={() => setDialog(null)}
        >
          <p className="mb-4">{t('invoices.discardConfirm')}</p>
        </ConfirmDialog>
      )}
      {dialog === 'payment' && (
        <PaymentDialog
          invoice={invoice}
          onClose={() => setDialog(null)}
          onRecorded={(updated) => {
            setDialog(null);
            setNotice('paymentRecorded');
            if (updated) queryClient.setQueryData(invoiceKeys.detail(invoice.id), updated);
            void refresh();
          }}
        />
      )}
      {dialog === 'rectify' && (
        <RectifyDialog
          invoice={invoice}
          onClose={() => setDialog(null)}
          onRectified={(rectifying) => {
            setDialog(null);
            void refresh();
            if (rectifying) {
              void navigate({
                to: '/invoices/$invoiceId',
                params: { invoiceId: rectifying.id },
                state: { billingNotice: 'invoiceRectifying' },
              });
            } else {
              setNotice('invoiceRectifying');
            }
          }}
        />
      )}
    </div>
  );
}

interface ConfirmDialogProps {
  title: string;
  confirm: string;
  danger?: boolean;
  busy: boolean;
  onConfirm: () => void;
  onClose: () => void;
  children: ReactNode;
}

function ConfirmDialog({ title, confirm, danger, busy, onConfirm, onClose, children }: ConfirmDialogProps) {
  const { t } = useI18n();
  return (
    <Modal title={title} closeLabel={t('common.close')} onClose={onClose}>
      {children}
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={danger ? dangerButton : primaryButton}
          disabled={busy}
          data-autofocus
          onClick={onConfirm}
        >
          {confirm}
        </button>
        <button type="button" className={secondaryButton} onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </Modal>
  );
}

function CustomerCard({ invoice }: { invoice: Invoice }) {
  const { t } = useI18n();
  const { customer } = invoice;
  return (
    <section aria-labelledby="invoice-customer" className={card}>
      <h2 id="invoice-customer" className="mb-2 text-lg font-semibold">
        {t('invoices.customer')}
      </h2>
      <p className="font-medium">
        {invoice.customerId ? (
          <Link to="/customers/$customerId" params={{ customerId: invoice.customerId }} className={linkClass}>
            {recipientName(customer.name, t)}
          </Link>
        ) : (
          recipientName(customer.name, t)
        )}
      </p>
      <p className="text-sm">{customer.taxId ?? <span className="text-slate-500">{t('customers.noTaxId')}</span>}</p>
      {customer.address && <p className="whitespace-pre-line text-sm">{customer.address}</p>}
      {customer.email && <p className="break-all text-sm">{customer.email}</p>}
    </section>
  );
}

/** The invoice's lines; on a phone, quantity, price, discount and VAT go under the description. */
function LinesTable({ invoice }: { invoice: Invoice }) {
  const { t, locale } = useI18n();
  const rate = (value: string) => {
    const known = vatRateOf(value);
    return known ? vatRateLabel(known, t) : formatPercent(value, locale);
  };
  return (
    <section aria-labelledby="invoice-lines" className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <h2 id="invoice-lines" className="px-4 pt-4 text-lg font-semibold">
        {t('invoices.linesSection')}
      </h2>
      <table className="mt-2 min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-100 text-slate-700">
          <tr>
            <th scope="col" className={cell}>{t('invoices.line.description')}</th>
            <th scope="col" className={`${amountCell} ${narrowHidden}`}>{t('invoices.line.quantity')}</th>
            <th scope="col" className={`${amountCell} ${narrowHidden}`}>{t('invoices.line.unitPrice')}</th>
            <th scope="col" className={`${amountCell} ${narrowHidden}`}>{t('invoices.line.discount')}</th>
            <th scope="col" className={`${cell} ${narrowHidden}`}>{t('invoices.line.vatRate')}</th>
            <th scope="col" className={amountCell}>{t('invoices.line.amount')}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {invoice.lines.map((line, position) => ({ ...line, position })).map((line) => (
            <tr key={line.position}>
              <td className={`${cell} break-words`}>
                {line.description}
                <span className="block text-slate-600 sm:hidden">
                  {`${formatQuantity(line.quantity, locale)} × ${formatMoney(line.unitPrice, locale)}`}
                  {isPositive(line.discountPercent) && ` − ${formatPercent(line.discountPercent, locale)}`}
                  {` · ${rate(line.vatRate)}`}
                </span>
              </td>
              <td className={`${amountCell} ${narrowHidden}`}>{formatQuantity(line.quantity, locale)}</td>
              <td className={`${amountCell} ${narrowHidden}`}>{formatMoney(line.unitPrice, locale)}</td>
              <td className={`${amountCell} ${narrowHidden}`}>{formatPercent(line.discountPercent, locale)}</td>
              <td className={`${cell} ${narrowHidden}`}>{rate(line.vatRate)}</td>
              <td className={amountCell}>{formatMoney(line.amount, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function PaymentsSection({ invoice }: { invoice: Invoice }) {
  const { t, locale } = useI18n();
  return (
    <section aria-labelledby="invoice-payments" className={card}>
      <h2 id="invoice-payments" className="mb-2 text-lg font-semibold">
        {t('invoices.payments')}
      </h2>
      {invoice.payments.length === 0 ? (
        <p className="text-sm text-slate-600">{t('invoices.noPayments')}</p>
      ) : (
        <table className="w-full text-sm">
          <thead className="text-slate-600">
            <tr>
              <th scope="col" className="py-1 text-left font-medium">{t('invoices.payment.date')}</th>
              <th scope="col" className="py-1 text-left font-medium">{t('invoices.payment.method')}</th>
              <th scope="col" className="py-1 text-right font-medium">{t('invoices.payment.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {invoice.payments.map((payment) => (
              <tr key={payment.id}>
                <td className="py-1">{formatCalendarDate(payment.paidOn, locale)}</td>
                <td className="py-1">{t(PAYMENT_METHOD_LABELS[payment.method])}</td>
                <td className="py-1 text-right tabular-nums">{formatMoney(payment.amount, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
