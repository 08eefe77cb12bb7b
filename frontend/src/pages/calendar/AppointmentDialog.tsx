import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import {
  type Appointment,
  type AppointmentStatus,
  type AppointmentType,
  type CancellationReason,
  cancelFollowing,
  type Practitioner,
  clashesOf,
  deleteAppointment,
  editable,
  updateAppointment,
  withStatus,
} from '../../api/appointments';
import { errorMessage, fieldErrorsByName, toApiError } from '../../api/problem';
import { Alert } from '../../components/Alert';
import { SelectField } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { dangerButton, linkClass, primaryButton, secondaryButton } from '../../components/styles';
import { formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import { localIsoDate } from '../../lib/dates';
import { AppointmentStatusBadge, CANCELLATION_REASON_LABELS } from '../appointments/AppointmentStatusBadge';
import { CancelConfirm } from './CancelConfirm';
import { VisitStatusButtons } from './VisitStatusButtons';
import { AppointmentEditForm } from './AppointmentEditForm';
import { ClashList } from './ClashList';
import { typeName } from '../appointments/appointmentTypes';
import { type PickedPatient, PatientPicker } from './PatientPicker';

interface AppointmentDialogProps {
  appointment: Appointment;
  practitioners: readonly Practitioner[];
  types: readonly AppointmentType[];
  loaded: readonly Appointment[];
  now: Date;
  onClose: () => void;
  /** Called after a change was saved, with what to tell the user. */
  onChanged: (summary: string) => void;
  /** Whether the user bills (front desk, admin): a completed appointment offers "Facturar". */
  canInvoice?: boolean;
  /** Whether the user writes session notes (practitioners): a completed one offers "write the note". */
  canWriteNote?: boolean;
}

type Action =
  | { do: 'status'; status: AppointmentStatus }
  | { do: 'cancel'; reason: CancellationReason }
  | { do: 'fill'; patient: PickedPatient; type: string }
  | { do: 'delete' }
  | { do: 'cancelFollowing'; reason: CancellationReason };

/** An appointment's details and what the front desk does with it. */
export function AppointmentDialog(props: AppointmentDialogProps) {
  const { appointment } = props;
  const { t, locale } = useI18n();
  const [confirming, setConfirming] = useState<'cancel' | 'cancelFollowing' | 'delete' | null>(null);
  const [patient, setPatient] = useState<PickedPatient | null>(null);
  const [editing, setEditing] = useState(false);
  const activeTypes = props.types.filter((type) => type.active);
  // An empty slot has no type yet: offer the usual session, else the first type still offered.
  const [fillType, setFillType] = useState(
    () =>
      [appointment.type, 'follow_up'].find((code) => activeTypes.some((type) => type.code === code)) ??
      activeTypes[0]?.code ??
      '',
  );
  const etag = `"${appointment.version}"`;
  const started = new Date(appointment.startsAt) <= props.now;
  const isSlot = appointment.kind === 'empty_slot';

  const action = useMutation({
    mutationFn: async (todo: Action): Promise<string> => {
      switch (todo.do) {
        case 'status':
          await updateAppointment(appointment.id, withStatus(appointment, todo.status), etag);
          return t(`calendar.statusChanged.${todo.status}`);
        case 'cancel':
          await updateAppointment(appointment.id, withStatus(appointment, 'cancelled', todo.reason), etag);
          return t('calendar.statusChanged.cancelled');
        case 'fill':
          await updateAppointment(
            appointment.id,
            { ...editable(appointment), patientId: todo.patient.id, type: todo.type },
            etag,
          );
          return t('calendar.slotFilled', { name: todo.patient.fullName });
        case 'delete':
          await deleteAppointment(appointment.id);
          return t(isSlot ? 'calendar.slotRemoved' : 'calendar.deleted');
        case 'cancelFollowing': {
          const cancelled = await cancelFollowing(appointment.id, etag, todo.reason);
          return t('calendar.cancelledFollowing', { count: cancelled.length });
        }
      }
    },
    onSuccess: (summary) => props.onChanged(summary),
  });

  const title =
    appointment.kind === 'empty_slot'
      ? t('calendar.emptySlot')
      : appointment.kind === 'block'
        ? (appointment.title ?? t('calendar.block'))
        : (appointment.patientName ?? t('calendar.appointment'));
  const error = action.isError ? toApiError(action.error) : null;
  const clashes = action.isError ? clashesOf(action.error) : [];
  const fieldError = error ? [...fieldErrorsByName(error).values()][0]?.message : undefined;
  const busy = action.isPending;

  if (editing) {
    return (
      <Modal title={t('calendar.editTitle', { name: title })} closeLabel={t('common.close')} onClose={props.onClose}>
        <AppointmentEditForm
          appointment={appointment}
          practitioners={props.practitioners}
          types={props.types}
          loaded={props.loaded}
          onCancel={() => setEditing(false)}
          onSaved={props.onChanged}
        />
      </Modal>
    );
  }

  return (
    <Modal title={title} closeLabel={t('common.close')} onClose={props.onClose}>
      <dl className="mb-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="font-medium text-slate-600">{t('calendar.when')}</dt>
        <dd>
          {formatDateTime(appointment.startsAt, locale)} –{' '}
          {new Intl.DateTimeFormat(locale === 'es' ? 'es-ES' : 'en-GB', { timeStyle: 'short' }).format(
            new Date(appointment.endsAt),
          )}
        </dd>
        <dt className="font-medium text-slate-600">{t('calendar.practitioner')}</dt>
        <dd>{appointment.practitionerName ?? '—'}</dd>
        {appointment.patientId && (
          <>
            <dt className="font-medium text-slate-600">{t('calendar.patient')}</dt>
            <dd>
              <Link to="/patients/$patientId" params={{ patientId: appointment.patientId }} className={linkClass}>
                {appointment.patientName ?? appointment.patientId}
              </Link>
            </dd>
          </>
        )}
        {appointment.type && (
          <>
            <dt className="font-medium text-slate-600">{t('calendar.type')}</dt>
            <dd>{typeName(appointment.type, props.types, locale)}</dd>
          </>
        )}
        <dt className="font-medium text-slate-600">{t('calendar.status')}</dt>
        <dd>
          <AppointmentStatusBadge status={appointment.status} />
        </dd>
        {appointment.cancellationReason && (
          <>
            <dt className="font-medium text-slate-600">{t('calendar.cancellationReason')}</dt>
            <dd>{t(CANCELLATION_REASON_LABELS[appointment.cancellationReason])}</dd>
          </>
        )}
        {appointment.seriesId && (
          <>
            <dt className="font-medium text-slate-600">{t('calendar.series')}</dt>
            <dd>{t('calendar.partOfSeries')}</dd>
          </>
        )}
        {appointment.notes && (
          <>
            <dt className="font-medium text-slate-600">{t('calendar.notes')}</dt>
            <dd className="whitespace-pre-line">{appointment.notes}</dd>
          </>
        )}
      </dl>

      {error && (
        <Alert className="mb-3">
          {error.status === 412 ? t('calendar.stale') : (fieldError ?? errorMessage(action.error, t))}
          {clashes.length > 0 && <ClashList clashes={clashes} loaded={props.loaded} />}
        </Alert>
      )}

      {isSlot && appointment.status === 'scheduled' && (
        <form
          noValidate
          className="mb-4 flex flex-col gap-3 rounded-md border border-slate-200 p-3"
          onSubmit={(event) => {
            event.preventDefault();
            if (patient) action.mutate({ do: 'fill', patient, type: fillType });
          }}
        >
          <PatientPicker id="fill-patient" value={patient} onChange={setPatient} />
          <SelectField id="fill-type" label={t('calendar.type')} value={fillType} onChange={(e) => setFillType(e.target.value)}>
            {activeTypes.map((type) => (
                <option key={type.code} value={type.code}>
                  {typeName(type.code, props.types, locale)}
                </option>
              ))}
          </SelectField>
          <button type="submit" className={primaryButton} disabled={!patient || busy}>
            {t('calendar.fillSlot')}
          </button>
        </form>
      )}

      {confirming === 'cancel' || confirming === 'cancelFollowing' ? (
        <CancelConfirm
          question={t(`calendar.confirm.${confirming}`)}
          busy={busy}
          onBack={() => setConfirming(null)}
          onConfirm={(reason) =>
            action.mutate(confirming === 'cancel' ? { do: 'cancel', reason } : { do: 'cancelFollowing', reason })
          }
        />
      ) : confirming === 'delete' ? (
        <div className="flex flex-col gap-2" role="group" aria-label={t('calendar.confirm')}>
          <p>{t('calendar.confirm.delete')}</p>
          <div className="flex flex-wrap gap-2">
            <button type="button" className={dangerButton} disabled={busy} onClick={() => action.mutate({ do: 'delete' })}>
              {t('common.yes')}
            </button>
            <button type="button" className={secondaryButton} onClick={() => setConfirming(null)}>
              {t('common.no')}
            </button>
          </div>
        </div>
      ) : (
        <div className="flex flex-wrap gap-2">
          <VisitStatusButtons
            appointment={appointment}
            now={props.now}
            busy={busy}
            onStatus={(status) => action.mutate({ do: 'status', status })}
          />
          {appointment.kind === 'appointment' && appointment.status === 'scheduled' && (
            <>
              <button type="button" className={dangerButton} disabled={busy} onClick={() => setConfirming('cancel')}>
                {t('calendar.cancelAppointment')}
              </button>
              {appointment.seriesId && (
                <button
                  type="button"
                  className={dangerButton}
                  disabled={busy}
                  onClick={() => setConfirming('cancelFollowing')}
                >
                  {t('calendar.cancelFollowing')}
                </button>
              )}
            </>
          )}
          {appointment.status === 'scheduled' && (
            <button type="button" className={secondaryButton} disabled={busy} onClick={() => setEditing(true)}>
              {t('calendar.edit')}
            </button>
          )}
          {props.canInvoice &&
            appointment.kind === 'appointment' &&
            appointment.status === 'completed' &&
            appointment.patientId && (
              <Link
                to="/invoices/new"
                search={{ patientId: appointment.patientId, sessionId: appointment.id }}
                className={primaryButton}
              >
                {t('calendar.invoice')}
              </Link>
            )}
          {props.canWriteNote &&
            appointment.kind === 'appointment' &&
            appointment.status === 'completed' &&
            appointment.patientId && (
              <Link
                to="/records/new"
                search={{
                  patientId: appointment.patientId,
                  appointmentId: appointment.id,
                  date: localIsoDate(new Date(appointment.startsAt)),
                }}
                className={primaryButton}
              >
                {t('records.writeNote')}
              </Link>
            )}
          {appointment.status === 'no_show' && (
            <button
              type="button"
              className={secondaryButton}
              disabled={busy}
              onClick={() => action.mutate({ do: 'status', status: 'scheduled' })}
            >
              {t('calendar.undoNoShow')}
            </button>
          )}
          {appointment.kind !== 'appointment' && appointment.status === 'scheduled' && (
            <button type="button" className={dangerButton} disabled={busy} onClick={() => setConfirming('delete')}>
              {t(isSlot ? 'calendar.removeSlot' : 'calendar.removeBlock')}
            </button>
          )}
        </div>
      )}
      {appointment.kind === 'appointment' && appointment.status === 'scheduled' && !started && (
        <p className="mt-2 text-sm text-slate-600">{t('calendar.notStartedYet')}</p>
      )}
    </Modal>
  );
}
