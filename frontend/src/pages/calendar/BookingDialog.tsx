import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  type Appointment,
  type AppointmentCreate,
  type AppointmentType,
  bookAppointment,
  bookSeries,
  clashesOf,
  type Practitioner,
  seriesClashesOf,
} from '../../api/appointments';
import { useIdempotencyKey } from '../../api/idempotency';
import { errorMessage, fieldErrorsByName, toApiError } from '../../api/problem';
import { Alert } from '../../components/Alert';
import { Field, SelectField, TextAreaField } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { primaryButton, secondaryButton } from '../../components/styles';
import { formatCalendarDate } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import { ClashList } from './ClashList';
import { typeName } from '../appointments/appointmentTypes';
import { type BookingDraft, draftErrors, toBooking, WEEKDAYS } from './bookingDraft';
import { type PickedPatient, PatientPicker } from './PatientPicker';
import { PractitionerSelect } from './PractitionerSelect';

interface BookingDialogProps {
  initial: BookingDraft;
  practitioners: readonly Practitioner[];
  types: readonly AppointmentType[];
  loaded: readonly Appointment[];
  onClose: () => void;
  /** Called with a summary once something was booked. */
  onBooked: (summary: string) => void;
}

/** Book a patient (or block time) from a selected slot, once or as a weekly series. */
export function BookingDialog(props: BookingDialogProps) {
  const { t, locale } = useI18n();
  const [draft, setDraft] = useState<BookingDraft>(props.initial);
  const [shownErrors, setShownErrors] = useState<Map<string, string>>(new Map());
  const activeTypes = props.types.filter((type) => type.active);
  const change = (patch: Partial<BookingDraft>) => setDraft((current) => ({ ...current, ...patch }));

  const idempotency = useIdempotencyKey();

  const booking = useMutation({
    mutationFn: async ({ body, key }: { body: AppointmentCreate; key: string }) => {
      if (body.repeat) {
        const series = await bookSeries({ ...body, repeat: body.repeat }, key);
        return { booked: series.member.length, skipped: series.skipped };
      }
      await bookAppointment(body, key);
      return { booked: 1, skipped: [] as string[] };
    },
    onSuccess: ({ booked, skipped }) => {
      idempotency.reset();
      const dates = skipped.map((day) => formatCalendarDate(day, locale)).join(', ');
      props.onBooked(
        skipped.length > 0
          ? t('calendar.bookedSkipping', { count: booked, dates })
          : t('calendar.booked', { count: booked }),
      );
    },
    onError: (error) => {
      const byName = fieldErrorsByName(toApiError(error));
      setShownErrors(new Map([...byName].map(([name, item]) => [name, item.message])));
    },
  });

  const submit = (skipClashes: boolean) => {
    const errors = draftErrors(draft, t);
    setShownErrors(errors);
    if (errors.size > 0) {
      booking.reset(); // an earlier answer (a clash) no longer describes what is on the form
      return;
    }
    const booked = toBooking(draft);
    // What is sent, skipClashes included (a series only), is what the key stands for.
    const body = booked.repeat ? { ...booked, skipClashes } : booked;
    booking.mutate({ body, key: idempotency.keyFor(body) });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit(false);
  };

  const onType = (code: string) => {
    const type = props.types.find((item) => item.code === code);
    change({ type: code, duration: type ? type.durationMinutes : draft.duration });
  };

  const error = (name: string) => shownErrors.get(name);
  const seriesClashes = booking.isError ? seriesClashesOf(booking.error) : [];
  const clashes = booking.isError ? clashesOf(booking.error) : [];
  const otherError =
    booking.isError && clashes.length === 0 && seriesClashes.length === 0 && shownErrors.size === 0;

  return (
    <Modal title={t('calendar.bookTitle')} closeLabel={t('common.close')} onClose={props.onClose}>
      <form noValidate onSubmit={onSubmit} className="flex flex-col gap-3">
        <fieldset className="flex gap-4">
          <legend className="sr-only">{t('calendar.kind')}</legend>
          {(['appointment', 'block'] as const).map((kind) => (
            <label key={kind} className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="booking-kind"
                checked={draft.kind === kind}
                onChange={() => change({ kind })}
              />
              {t(kind === 'appointment' ? 'calendar.kindAppointment' : 'calendar.kindBlock')}
            </label>
          ))}
        </fieldset>
        {draft.kind === 'appointment' ? (
          <PatientPicker
            id="booking-patient"
            value={draft.patient}
            onChange={(patient: PickedPatient | null) => change({ patient })}
            error={error('patientId')}
          />
        ) : (
          <Field
            id="booking-title"
            label={t('calendar.blockTitle')}
            value={draft.title}
            maxLength={200}
            error={error('title')}
            onChange={(event) => change({ title: event.target.value })}
          />
        )}
        <PractitionerSelect
          id="booking-practitioner"
          value={draft.practitionerId}
          error={error('practitionerId')}
          onChange={(event) => change({ practitionerId: event.target.value })}
          practitioners={props.practitioners}
          withPlaceholder
        />
        {draft.kind === 'appointment' && (
          <SelectField
            id="booking-type"
            label={t('calendar.type')}
            value={draft.type}
            error={error('type')}
            onChange={(event) => onType(event.target.value)}
          >
            {activeTypes.map((type) => (
              <option key={type.code} value={type.code}>
                {typeName(type.code, props.types, locale)} ({t('calendar.minutes', { count: type.durationMinutes })})
              </option>
            ))}
          </SelectField>
        )}
        <div className="grid grid-cols-2 gap-3">
          <Field
            id="booking-start"
            type="datetime-local"
            label={t('calendar.startsAt')}
            value={draft.start}
            error={error('startsAt')}
            onChange={(event) => change({ start: event.target.value })}
          />
          <Field
            id="booking-duration"
            type="number"
            min={5}
            max={480}
            step={5}
            label={t('calendar.duration')}
            value={String(draft.duration)}
            error={error('endsAt') ?? error('duration')}
            onChange={(event) => change({ duration: Number(event.target.value) })}
          />
        </div>
        {draft.kind === 'appointment' && (
          <RepeatFields draft={draft} change={change} error={error('repeat')} />
        )}
        <TextAreaField
          id="booking-notes"
          label={t('calendar.notes')}
          rows={2}
          maxLength={2000}
          value={draft.notes}
          onChange={(event) => change({ notes: event.target.value })}
        />
        {clashes.length > 0 && (
          <Alert>
            <p className="font-medium">{t('calendar.clash')}</p>
            <ClashList clashes={clashes} loaded={props.loaded} />
          </Alert>
        )}
        {seriesClashes.length > 0 && (
          <Alert>
            <p className="font-medium">{t('calendar.seriesClash')}</p>
            <ul className="mt-1 list-disc pl-5">
              {seriesClashes.map((item) => (
                <li key={item.date}>{formatCalendarDate(item.date, locale)}</li>
              ))}
            </ul>
            <button
              type="button"
              className={`${secondaryButton} mt-2`}
              disabled={booking.isPending}
              onClick={() => submit(true)}
            >
              {t('calendar.bookFreeDates')}
            </button>
          </Alert>
        )}
        {otherError && <Alert>{errorMessage(booking.error, t)}</Alert>}
        <div className="flex justify-end gap-2">
          <button type="button" className={secondaryButton} onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className={primaryButton} disabled={booking.isPending}>
            {booking.isPending ? t('common.saving') : t('calendar.book')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

interface RepeatFieldsProps {
  draft: BookingDraft;
  change: (patch: Partial<BookingDraft>) => void;
  error: string | undefined;
}

/** "Repeat every week on … for N sessions": a treatment series. */
function RepeatFields({ draft, change, error }: RepeatFieldsProps) {
  const { t } = useI18n();
  const toggleDay = (day: number) => {
    const days = draft.weekdays.includes(day)
      ? draft.weekdays.filter((d) => d !== day)
      : [...draft.weekdays, day].toSorted((a, b) => a - b);
    change({ weekdays: days });
  };
  return (
    <fieldset className="rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium">
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={draft.repeat} onChange={(e) => change({ repeat: e.target.checked })} />
          {t('calendar.repeat')}
        </label>
      </legend>
      {draft.repeat && (
        <div className="flex flex-col gap-2">
          <div className="flex flex-wrap gap-3" role="group" aria-label={t('calendar.repeatWeekdays')}>
            {WEEKDAYS.map((day) => (
              <label key={day} className="flex items-center gap-1 text-sm">
                <input type="checkbox" checked={draft.weekdays.includes(day)} onChange={() => toggleDay(day)} />
                {t(`calendar.weekday${day}` as 'calendar.weekday0')}
              </label>
            ))}
          </div>
          <Field
            id="booking-count"
            type="number"
            min={2}
            max={60}
            label={t('calendar.repeatCount')}
            value={String(draft.count)}
            error={error}
            onChange={(event) => change({ count: Number(event.target.value) })}
          />
        </div>
      )}
    </fieldset>
  );
}
