import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  type CatalogueBody,
  type CatalogueItem,
  createCatalogueItem,
  listCatalogue,
  updateCatalogueItem,
} from '../../../api/billing';
import { useIdempotencyKey } from '../../../api/idempotency';
import { errorMessage, toApiError } from '../../../api/problem';
import { catalogueKeys } from '../../../api/queryKeys';
import { Alert } from '../../../components/Alert';
import { Field, SelectField } from '../../../components/Field';
import { Modal } from '../../../components/Modal';
import { focusRing, linkClass, primaryButton, secondaryButton } from '../../../components/styles';
import type { TranslationKey } from '../../../i18n/catalogs';
import { useI18n } from '../../../i18n/useI18n';
import { appointmentTypesQuery, typeName } from '../../appointments/appointmentTypes';
import { vatRateLabel } from '../LinesEditor';
import {
  formatMoney,
  HEALTH_CARE,
  normaliseAmount,
  toInputDecimal,
  VAT_RATES,
  type VatRate,
  vatRateOf,
} from '../money';

const cell = 'px-3 py-2 text-left align-top';
const amountCell = 'px-3 py-2 text-right align-top tabular-nums whitespace-nowrap';
const narrowHidden = 'hidden sm:table-cell';

/** The services the clinic sells: price, VAT (0 = exempt health care) and appointment type. */
export function CatalogueSection() {
  const { t, locale } = useI18n();
  const catalogue = useQuery({ queryKey: catalogueKeys.all, queryFn: listCatalogue });
  const types = useQuery(appointmentTypesQuery);
  const [editing, setEditing] = useState<CatalogueItem | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <section aria-labelledby="catalogue-title">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <h2 id="catalogue-title" className="text-xl font-semibold">
          {t('catalogue.title')}
        </h2>
        <button type="button" className={secondaryButton} onClick={() => setEditing('new')}>
          {t('catalogue.new')}
        </button>
      </div>
      <p className="mb-3 text-sm text-slate-600">{t('catalogue.hint')}</p>
      {notice && (
        <Alert tone="success" className="mb-3">
          {notice}
        </Alert>
      )}
      {catalogue.isPending && <p role="status">{t('common.loading')}</p>}
      {catalogue.isError && <Alert>{errorMessage(catalogue.error, t)}</Alert>}
      {catalogue.data && (
        <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-100 text-slate-700">
              <tr>
                <th scope="col" className={cell}>{t('catalogue.service')}</th>
                <th scope="col" className={amountCell}>{t('catalogue.price')}</th>
                <th scope="col" className={`${cell} ${narrowHidden}`}>{t('catalogue.vatRate')}</th>
                <th scope="col" className={`${cell} ${narrowHidden}`}>{t('catalogue.appointmentType')}</th>
                <th scope="col" className={cell}>{t('catalogue.actions')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {catalogue.data.map((item) => {
                const name = locale === 'en' ? item.nameEn : item.nameEs;
                const rate = vatRateOf(item.vatRate);
                return (
                  <tr key={item.code} className={item.active ? '' : 'text-slate-500'}>
                    <td className={`${cell} break-words`}>
                      <span className="font-medium">{name}</span>
                      <span className="block text-slate-600">
                        {[item.code, !item.active && t('catalogue.inactive')].filter(Boolean).join(' · ')}
                      </span>
                      <span className="block text-slate-600 sm:hidden">
                        {rate ? vatRateLabel(rate, t) : item.vatRate}
                      </span>
                    </td>
                    <td className={amountCell}>{formatMoney(item.price, locale)}</td>
                    <td className={`${cell} ${narrowHidden}`}>{rate ? vatRateLabel(rate, t) : item.vatRate}</td>
                    <td className={`${cell} ${narrowHidden}`}>
                      {item.appointmentType ? typeName(item.appointmentType, types.data ?? [], locale) : '—'}
                    </td>
                    <td className={cell}>
                      <button
                        type="button"
                        className={`${linkClass} text-sm`}
                        aria-label={`${t('catalogue.edit')} ${name}`}
                        onClick={() => {
                          setNotice(null);
                          setEditing(item);
                        }}
                      >
                        {t('catalogue.edit')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <CatalogueDialog
          item={editing === 'new' ? null : editing}
          types={types.data ?? []}
          onClose={() => setEditing(null)}
          onSaved={(name) => {
            setEditing(null);
            setNotice(t('catalogue.saved', { name }));
          }}
        />
      )}
    </section>
  );
}

interface ItemValues {
  code: string;
  nameEs: string;
  nameEn: string;
  price: string;
  vatRate: VatRate;
  appointmentType: string;
  active: boolean;
}

type ItemField = Exclude<keyof ItemValues, 'active'>;
const ITEM_FIELDS: readonly ItemField[] = ['code', 'nameEs', 'nameEn', 'price', 'vatRate', 'appointmentType'];
const CODE = /^[A-Z0-9_-]{1,20}$/;

interface CatalogueDialogProps {
  item: CatalogueItem | null;
  types: readonly { code: string; nameEs: string; nameEn: string }[];
  onClose: () => void;
  onSaved: (name: string) => void;
}

function CatalogueDialog({ item, types, onClose, onSaved }: CatalogueDialogProps) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const idempotency = useIdempotencyKey();
  const [values, setValues] = useState<ItemValues>(() => ({
    code: item?.code ?? '',
    nameEs: item?.nameEs ?? '',
    nameEn: item?.nameEn ?? '',
    price: item ? toInputDecimal(item.price, locale) : '',
    vatRate: (item && vatRateOf(item.vatRate)) ?? '0',
    appointmentType: item?.appointmentType ?? '',
    active: item?.active ?? true,
  }));
  const [checked, setChecked] = useState<Partial<Record<ItemField, TranslationKey>>>({});
  const save = useMutation({
    mutationFn: async () => {
      const body: CatalogueBody = {
        nameEs: values.nameEs.trim(),
        nameEn: values.nameEn.trim(),
        price: normaliseAmount(values.price) ?? values.price,
        vatRate: values.vatRate,
        exemption: values.vatRate === '0' ? HEALTH_CARE : null,
        appointmentType: values.appointmentType || null,
        active: values.active,
      };
      if (item) return updateCatalogueItem(item.code, body, `"${item.version}"`);
      const created = { code: values.code.trim().toUpperCase(), ...body };
      return createCatalogueItem(created, idempotency.keyFor(created));
    },
    onSuccess: async () => {
      idempotency.reset();
      await queryClient.invalidateQueries({ queryKey: catalogueKeys.all });
      onSaved(locale === 'en' ? values.nameEn : values.nameEs);
    },
  });
  const error = save.error ? toApiError(save.error) : null;
  const serverErrors: Partial<Record<ItemField, TranslationKey>> = {};
  for (const { field } of error?.fieldErrors ?? []) {
    const head = field === 'exemption' ? 'vatRate' : field.split('.')[0];
    const name = ITEM_FIELDS.find((candidate) => candidate === head);
    if (!name) continue;
    if (error?.status === 409) serverErrors[name] ??= name === 'code' ? 'catalogue.errors.codeTaken' : 'catalogue.errors.typeTaken';
    else serverErrors[name] ??= name === 'price' ? 'catalogue.errors.price' : 'errors.invalidValue';
  }
  const errors = { ...serverErrors, ...checked };
  const message = (field: ItemField) => {
    const key = errors[field];
    return key ? t(key) : undefined;
  };
  const set = <K extends keyof ItemValues>(name: K, value: ItemValues[K]) => {
    setChecked(({ [name as ItemField]: _fixed, ...rest }) => rest);
    setValues((current) => ({ ...current, [name]: value }));
  };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<ItemField, TranslationKey>> = {};
    if (!item && !CODE.test(values.code.trim().toUpperCase())) found.code = 'catalogue.errors.code';
    if (!values.nameEs.trim()) found.nameEs = 'catalogue.errors.name';
    if (!values.nameEn.trim()) found.nameEn = 'catalogue.errors.name';
    if (normaliseAmount(values.price) === null) found.price = 'catalogue.errors.price';
    setChecked(found);
    const first = Object.keys(found)[0];
    if (first) document.getElementById(`catalogue-${first}`)?.focus();
    else save.mutate();
  }

  const title = item ? t('catalogue.editTitle', { name: locale === 'en' ? item.nameEn : item.nameEs }) : t('catalogue.new');
  return (
    <Modal title={title} closeLabel={t('common.close')} onClose={onClose}>
      <form onSubmit={submit} noValidate className="flex flex-col gap-4" aria-busy={save.isPending}>
        {error?.status === 412 && <Alert tone="warning">{t('catalogue.stale')}</Alert>}
        {error && error.status !== 412 && (
          <Alert>
            {Object.keys(serverErrors).length && error.status !== 409
              ? t('errors.validation')
              : error.status === 409
                ? t('catalogue.errors.conflict')
                : errorMessage(error, t)}
          </Alert>
        )}
        {!item && (
          <Field
            id="catalogue-code"
            label={t('catalogue.code')}
            hint={t('catalogue.codeHint')}
            value={values.code}
            maxLength={20}
            autoComplete="off"
            error={message('code')}
            data-autofocus
            onChange={(event) => set('code', event.target.value)}
          />
        )}
        <Field
          id="catalogue-nameEs"
          label={t('catalogue.nameEs')}
          value={values.nameEs}
          maxLength={200}
          error={message('nameEs')}
          onChange={(event) => set('nameEs', event.target.value)}
        />
        <Field
          id="catalogue-nameEn"
          label={t('catalogue.nameEn')}
          value={values.nameEn}
          maxLength={200}
          error={message('nameEn')}
          onChange={(event) => set('nameEn', event.target.value)}
        />
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <Field
            id="catalogue-price"
            label={t('catalogue.price')}
            inputMode="decimal"
            value={values.price}
            error={message('price')}
            data-autofocus={item ? '' : undefined}
            onChange={(event) => set('price', event.target.value)}
          />
          <SelectField
            id="catalogue-vatRate"
            label={t('catalogue.vatRate')}
            value={values.vatRate}
            error={message('vatRate')}
            onChange={(event) => set('vatRate', VAT_RATES.find((rate) => rate === event.target.value) ?? '0')}
          >
            {VAT_RATES.map((rate) => (
              <option key={rate} value={rate}>
                {vatRateLabel(rate, t)}
              </option>
            ))}
          </SelectField>
        </div>
        <SelectField
          id="catalogue-appointmentType"
          label={t('catalogue.appointmentType')}
          hint={t('catalogue.appointmentTypeHint')}
          value={values.appointmentType}
          error={message('appointmentType')}
          onChange={(event) => set('appointmentType', event.target.value)}
        >
          <option value="">{t('catalogue.noAppointmentType')}</option>
          {types.map((type) => (
            <option key={type.code} value={type.code}>
              {locale === 'en' ? type.nameEn : type.nameEs}
            </option>
          ))}
        </SelectField>
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            className={`h-5 w-5 rounded border-slate-400 ${focusRing}`}
            checked={values.active}
            onChange={(event) => set('active', event.target.checked)}
          />
          {t('catalogue.active')}
        </label>
        <div className="flex flex-wrap gap-2">
          <button type="submit" className={primaryButton} disabled={save.isPending}>
            {save.isPending ? t('common.saving') : t('common.save')}
          </button>
          <button type="button" className={secondaryButton} onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
