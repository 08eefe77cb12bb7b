import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { createEmptySlots, type EmptySlotsCreate, type Practitioner } from '../../api/appointments';
import { useIdempotencyKey } from '../../api/idempotency';
import { errorMessage, fieldErrorsByName, toApiError } from '../../api/problem';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { PractitionerSelect } from './PractitionerSelect';
import { Modal } from '../../components/Modal';
import { primaryButton, secondaryButton } from '../../components/styles';
import { useI18n } from '../../i18n/useI18n';
import { DateField } from '../../components/DateField';

interface EmptySlotsDialogProps {
  practitioners: readonly Practitioner[];
  initial: { practitionerId: string; from: string; to: string };
  onClose: () => void;
  onCreated: (summary: string) => void;
}

/** Lay empty slots over a practitioner's free working hours, for the front desk to fill later. */
export function EmptySlotsDialog(props: EmptySlotsDialogProps) {
  const { t } = useI18n();
  const [practitionerId, setPractitionerId] = useState(props.initial.practitionerId);
  const [from, setFrom] = useState(props.initial.from);
  const [to, setTo] = useState(props.initial.to);
  const [duration, setDuration] = useState(45);

  const idempotency = useIdempotencyKey();

  const create = useMutation({
    mutationFn: ({ body, key }: { body: EmptySlotsCreate; key: string }) => createEmptySlots(body, key),
    onSuccess: (slots) => {
      idempotency.reset();
      props.onCreated(t('calendar.slotsCreated', { count: slots.length }));
    },
  });
  const fieldErrors = create.isError ? fieldErrorsByName(toApiError(create.error)) : new Map();
  const error = (name: string): string | undefined => fieldErrors.get(name)?.message;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const body: EmptySlotsCreate = { practitionerId, from, to, duration };
    create.mutate({ body, key: idempotency.keyFor(body) });
  };

  return (
    <Modal title={t('calendar.emptySlotsTitle')} closeLabel={t('common.close')} onClose={props.onClose}>
      <form noValidate onSubmit={onSubmit} className="flex flex-col gap-3">
        <p className="text-sm text-slate-600">{t('calendar.emptySlotsHint')}</p>
        <PractitionerSelect
          id="slots-practitioner"
          value={practitionerId}
          error={error('practitionerId')}
          data-autofocus
          onChange={(event) => setPractitionerId(event.target.value)}
          practitioners={props.practitioners}
          withPlaceholder
        />
        <div className="grid grid-cols-2 gap-3">
          <DateField id="slots-from" label={t('calendar.from')} value={from} error={error('from')} onChange={setFrom} />
          <DateField id="slots-to" label={t('calendar.to')} value={to} error={error('to')} onChange={setTo} />
        </div>
        <Field
          id="slots-duration"
          type="number"
          min={5}
          max={480}
          step={5}
          label={t('calendar.duration')}
          value={String(duration)}
          error={error('duration')}
          onChange={(event) => setDuration(Number(event.target.value))}
        />
        {create.isError && fieldErrors.size === 0 && <Alert>{errorMessage(create.error, t)}</Alert>}
        <div className="flex justify-end gap-2">
          <button type="button" className={secondaryButton} onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className={primaryButton} disabled={create.isPending || !practitionerId}>
            {create.isPending ? t('common.saving') : t('calendar.createSlots')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
