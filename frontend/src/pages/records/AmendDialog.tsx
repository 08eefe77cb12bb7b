import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useIdempotencyKey } from '../../api/idempotency';
import { errorMessage, toApiError } from '../../api/problem';
import { recordKeys } from '../../api/queryKeys';
import { amendEntry, type Entry } from '../../api/records';
import { Alert } from '../../components/Alert';
import { TextAreaField } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { primaryButton, secondaryButton } from '../../components/styles';
import { formatCalendarDate } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import { ENTRY_TYPE_LABELS } from './labels';

export const AMENDMENT_MAX = 20_000;

interface AmendDialogProps {
  entry: Entry;
  onClose: () => void;
  onAmended: () => void;
}

/** A signed correction of a signed note: the original stays, both show. */
export function AmendDialog({ entry, onClose, onAmended }: AmendDialogProps) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const idempotency = useIdempotencyKey();
  const [text, setText] = useState('');
  const [empty, setEmpty] = useState(false);
  const amend = useMutation({
    mutationFn: (body: string) => amendEntry(entry.id, body, idempotency.keyFor({ entry: entry.id, text: body })),
    onSuccess: async () => {
      idempotency.reset();
      await queryClient.invalidateQueries({ queryKey: recordKeys.timeline(entry.patientId) });
      onAmended();
    },
  });
  const error = amend.error ? toApiError(amend.error) : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!text.trim()) {
      setEmpty(true);
      document.getElementById('amend-text')?.focus();
      return;
    }
    amend.mutate(text.trim());
  }

  return (
    <Modal title={t('records.amend.title')} closeLabel={t('common.close')} onClose={onClose}>
      <form onSubmit={submit} noValidate className="flex flex-col gap-4" aria-busy={amend.isPending}>
        {error && <Alert>{error.status === 422 ? t('records.amend.invalid') : errorMessage(error, t)}</Alert>}
        <p className="text-sm text-slate-700">
          {t('records.amend.intro', {
            type: t(ENTRY_TYPE_LABELS[entry.type]),
            date: formatCalendarDate(entry.date, locale),
          })}
        </p>
        <TextAreaField
          id="amend-text"
          label={t('records.amend.text')}
          rows={5}
          maxLength={AMENDMENT_MAX}
          value={text}
          required
          error={empty ? t('records.amend.empty') : undefined}
          data-autofocus
          onChange={(event) => {
            setEmpty(false);
            setText(event.target.value);
          }}
        />
        <div className="flex flex-wrap gap-2">
          <button type="submit" className={primaryButton} disabled={amend.isPending}>
            {amend.isPending ? t('records.signing') : t('records.amend.submit')}
          </button>
          <button type="button" className={secondaryButton} onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
