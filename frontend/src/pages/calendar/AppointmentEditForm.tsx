import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  type Appointment,
  type AppointmentType,
  type AppointmentUpdate,
  clashesOf,
  editable,
  outsideHoursOf,
  type Practitioner,
  updateAppointment,
} from '../../api/appointments';
import { errorMessage, fieldErrorsByName, toApiError } from '../../api/problem';
import { Alert } from '../../components/Alert';
import { Field, SelectField, TextAreaField } from '../../components/Field';
import { DateTimeField } from '../../components/DateField';
import { primaryButton, secondaryButton } from '../../components/styles';
import { useI18n } from '../../i18n/useI18n';
import { addMinutes, minutesBetween, toLocalInput } from '../../lib/dates';
import { isLocalDateTime } from '../../lib/dateText';
import { ClashList } from './ClashList';
import { OutsideHoursConfirm } from './OutsideHoursConfirm';
import { PractitionerSelect } from './PractitionerSelect';
import { MAX_DURATION, MIN_DURATION } from './bookingDraft';
import { typeName } from '../appointments/appointmentTypes';

interface AppointmentEditFormProps {
  appointment: Appointment;
  practitioners: readonly Practitioner[];
  types: readonly AppointmentType[];
  loaded: readonly Appointment[];
  onCancel: () => void;
  onSaved: (summary: string) => void;
}

/** Change an appointment's time, physiotherapist, type or notes (one PUT with If-Match). */
export function AppointmentEditForm(props: AppointmentEditFormProps) {
  const { appointment } = props;
  const { t, locale } = useI18n();
  const [practitionerId, setPractitionerId] = useState(appointment.practitionerId);
  const [type, setType] = useState(appointment.type ?? '');
  const [start, setStart] = useState(toLocalInput(new Date(appointment.startsAt)));
  const [duration, setDuration] = useState(
    minutesBetween(new Date(appointment.startsAt), new Date(appointment.endsAt)),
  );
  const [notes, setNotes] = useState(appointment.notes ?? '');
  const [localErrors, setLocalErrors] = useState<Map<string, string>>(new Map());

  // "Save anyway" once the server said the new time is outside the working hours.
  const [allowOutside, setAllowOutside] = useState(false);

  const save = useMutation({
    mutationFn: (allowOutsideHours: boolean) => {
      const startsAt = new Date(start);
      const body: AppointmentUpdate = {
        ...editable(appointment),
        practitionerId,
        type: appointment.kind === 'appointment' ? type || null : appointment.type,
        startsAt: startsAt.toISOString(),
        endsAt: addMinutes(startsAt, duration).toISOString(),
        notes: notes.trim() || null,
      };
      if (allowOutsideHours) body.allowOutsideHours = true;
      return updateAppointment(appointment.id, body, `"${appointment.version}"`);
    },
    onSuccess: () => props.onSaved(t('calendar.saved')),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const errors = new Map<string, string>();
    if (!isLocalDateTime(start)) errors.set('startsAt', t('calendar.errors.start'));
    if (!Number.isInteger(duration) || duration < MIN_DURATION || duration > MAX_DURATION) {
      errors.set('duration', t('calendar.errors.duration', { min: MIN_DURATION, max: MAX_DURATION }));
    }
    setLocalErrors(errors);
    if (errors.size === 0) save.mutate(allowOutside);
  };

  const apiError = save.isError ? toApiError(save.error) : null;
  const outside = save.isError ? outsideHoursOf(save.error) : null;
  const serverErrors = apiError && !outside ? fieldErrorsByName(apiError) : new Map();

  /** Any edit of the form: a "save anyway" was for the form as it was. */
  const edited = <T,>(set: (value: T) => void) => (value: T) => {
    set(value);
    setAllowOutside(false);
    if (outside) save.reset();
  };
  const error = (name: string): string | undefined => localErrors.get(name) ?? serverErrors.get(name)?.message;
  const clashes = save.isError ? clashesOf(save.error) : [];

  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-3">
      <PractitionerSelect
        id="edit-practitioner"
        value={practitionerId}
        error={error('practitionerId')}
        data-autofocus
        onChange={(event) => edited(setPractitionerId)(event.target.value)}
        practitioners={props.practitioners}
      />
      {appointment.kind === 'appointment' && (
        <SelectField id="edit-type" label={t('calendar.type')} value={type} error={error('type')} onChange={(e) => edited(setType)(e.target.value)}>
          {props.types
            .filter((item) => item.active || item.code === appointment.type)
            .map((item) => (
              <option key={item.code} value={item.code}>
                {typeName(item.code, props.types, locale)}
              </option>
            ))}
        </SelectField>
      )}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-[2fr_1fr]">
        <DateTimeField id="edit-start" label={t('calendar.startsAt')} value={start} error={error('startsAt')} onChange={(value) => edited(setStart)(value)} />
        <Field
          id="edit-duration"
          type="number"
          min={MIN_DURATION}
          max={MAX_DURATION}
          step={5}
          label={t('calendar.duration')}
          value={String(duration)}
          error={error('duration') ?? error('endsAt')}
          onChange={(e) => edited(setDuration)(Number(e.target.value))}
        />
      </div>
      <TextAreaField id="edit-notes" label={t('calendar.notes')} rows={2} maxLength={2000} value={notes} onChange={(e) => setNotes(e.target.value)} />
      {clashes.length > 0 && (
        <Alert>
          <p className="font-medium">{t('calendar.clash')}</p>
          <ClashList clashes={clashes} loaded={props.loaded} />
        </Alert>
      )}
      {apiError && !outside && clashes.length === 0 && serverErrors.size === 0 && (
        <Alert>{apiError.status === 412 ? t('calendar.stale') : errorMessage(save.error, t)}</Alert>
      )}
      {outside && (
        <OutsideHoursConfirm
          outside={outside}
          question={t('calendar.outsideHours.saveQuestion')}
          confirmLabel={t('calendar.outsideHours.save')}
          busy={save.isPending}
          onConfirm={() => {
            setAllowOutside(true);
            save.mutate(true);
          }}
          onBack={() => {
            save.reset();
            document.getElementById('edit-start')?.focus();
          }}
        />
      )}
      <div className="flex justify-end gap-2">
        <button type="button" className={secondaryButton} onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className={primaryButton} disabled={save.isPending}>
          {save.isPending ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}
