import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import {
  type Appointment,
  type AppointmentCreate,
  type AppointmentType,
  bookAppointment,
  bookSeries,
  clashesOf,
  type OutsideHours,
  outsideHoursOf,
  type Practitioner,
  seriesClashesOf,
} from '../../api/appointments';
import { useIdempotencyKey } from '../../api/idempotency';
import { errorMessage, fieldErrorsByName, toApiError } from '../../api/problem';
import { Alert } from '../../components/Alert';
import { Field, SelectField, TextAreaField } from '../../components/Field';
import { DateTimeField } from '../../components/DateField';
import { Modal } from '../../components/Modal';
import { primaryButton, secondaryButton } from '../../components/styles';
import { formatCalendarDate } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import { ClashList } from './ClashList';
import { NextFreeSlots, type OfferedSlot } from './NextFreeSlots';
import { toLocalInput } from '../../lib/dates';
import { typeName } from '../appointments/appointmentTypes';
import { type BookingDraft, draftErrors, toBooking, withStart } from './bookingDraft';
import { describeSessions, sessionStarts } from './bookingSummary';
import { OutsideHoursConfirm } from './OutsideHoursConfirm';
import { type PickedPatient, PatientPicker } from './PatientPicker';
import { PractitionerSelect } from './PractitionerSelect';
import { RepeatFields } from './RepeatFields';

interface BookingDialogProps {
  initial: BookingDraft;
  practitioners: readonly Practitioner[];
  types: readonly AppointmentType[];
  loaded: readonly Appointment[];
  onClose: () => void;
  /** Called once something was booked: what to tell the user, and the patient booked for. */
  onBooked: (summary: string, patient: PickedPatient | null) => void;
}

interface Sending {
  body: AppointmentCreate;
  key: string;
  patient: PickedPatient | null;
}

/** Book a patient (or block time) from a selected slot, once or as a weekly series. */
export function BookingDialog(props: BookingDialogProps) {
  const { t, locale } = useI18n();
  const [draft, setDraft] = useState<BookingDraft>(props.initial);
  const [shownErrors, setShownErrors] = useState<Map<string, string>>(new Map());
  // Counts refusals with field errors (the form's own checks or the server's): each one takes
  // focus to the first field named, so a keyboard user lands on what to fix, not on <body>.
  const [refusals, setRefusals] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (refusals > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refusals]);
  // A time the server refused as outside the working hours, awaiting "book anyway?".
  const [outside, setOutside] = useState<(OutsideHours & { skipClashes: boolean }) | null>(null);
  // The user said "book anyway" for the form as it is: later sends (free dates only) say so too.
  const [allowOutside, setAllowOutside] = useState(false);
  // "Próximo hueco libre": opened by the user, or by a 409 (the time is taken: offer others).
  const [freeOpen, setFreeOpen] = useState(false);
  const activeTypes = props.types.filter((type) => type.active);
  const update = (next: (current: BookingDraft) => BookingDraft) => {
    setDraft(next);
    setOutside(null);
    setAllowOutside(false);
  };
  const change = (patch: Partial<BookingDraft>) => update((current) => ({ ...current, ...patch }));

  const idempotency = useIdempotencyKey();

  const booking = useMutation({
    mutationFn: async ({ body, key }: Sending) => {
      if (body.repeat) {
        const series = await bookSeries({ ...body, repeat: body.repeat }, key);
        return { booked: series.member, skipped: series.skipped };
      }
      return { booked: [await bookAppointment(body, key)], skipped: [] as string[] };
    },
    onSuccess: ({ booked, skipped }, { patient }) => {
      idempotency.reset();
      const starts = booked.map((item) => new Date(item.startsAt)).toSorted((a, b) => a.getTime() - b.getTime());
      const summary = describeSessions(starts, t, locale);
      const dates = skipped.map((day) => formatCalendarDate(day, locale)).join(', ');
      props.onBooked(
        skipped.length > 0 ? t('calendar.bookedSkipping', { summary, dates }) : t('calendar.booked', { summary }),
        patient,
      );
    },
    onError: (error, { body }) => {
      if (clashesOf(error).length > 0) setFreeOpen(true);
      const refused = outsideHoursOf(error);
      setOutside(refused && { ...refused, skipClashes: body.skipClashes ?? false });
      const byName = refused ? [] : [...fieldErrorsByName(toApiError(error))];
      setShownErrors(new Map(byName.map(([name, item]) => [name, item.message])));
      if (byName.length > 0) setRefusals((count) => count + 1);
    },
  });

  const submit = (skipClashes: boolean, allowOutsideHours = allowOutside) => {
    const errors = draftErrors(draft, t);
    setShownErrors(errors);
    setOutside(null);
    if (errors.size > 0) {
      setRefusals((count) => count + 1);
      booking.reset(); // an earlier answer (a clash) no longer describes what is on the form
      return;
    }
    const booked = toBooking(draft);
    // What is sent, skipClashes (a series only) and allowOutsideHours included, is what the key
    // stands for: "book anyway" is another request than the one refused.
    const body: AppointmentCreate = booked.repeat ? { ...booked, skipClashes } : { ...booked };
    if (allowOutsideHours) body.allowOutsideHours = true;
    const patient = draft.kind === 'appointment' ? draft.patient : null;
    booking.mutate({ body, key: idempotency.keyFor(body), patient });
  };

  const bookAnyway = (skipClashes: boolean) => {
    setAllowOutside(true);
    submit(skipClashes, true);
  };

  const backToTheTime = () => {
    setOutside(null);
    document.getElementById('booking-start')?.focus();
  };

  // A free time taken: the form moves there (whoever's it is) and "Reservar" is next.
  const takeFree = (slot: OfferedSlot) => {
    const start = toLocalInput(new Date(slot.startsAt));
    update((current) => ({ ...withStart(current, start), practitionerId: slot.practitionerId }));
    booking.reset();
    form.current?.querySelector<HTMLElement>('button[type="submit"]')?.focus();
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
  const refusedOutside = booking.isError && outsideHoursOf(booking.error) !== null;
  const otherError =
    booking.isError && !refusedOutside && clashes.length === 0 && seriesClashes.length === 0 && shownErrors.size === 0;
  const starts = sessionStarts(draft);

  return (
    <Modal title={t('calendar.bookTitle')} closeLabel={t('common.close')} onClose={props.onClose}>
      <form ref={form} noValidate onSubmit={onSubmit} className="flex flex-col gap-3">
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
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-[2fr_1fr]">
          <DateTimeField
            id="booking-start"
            label={t('calendar.startsAt')}
            value={draft.start}
            error={error('startsAt')}
            onChange={(start) => update((current) => withStart(current, start))}
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
          <RepeatFields draft={draft} onChange={update} error={error('repeat')} />
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
        {outside && (
          <OutsideHoursConfirm
            outside={outside}
            question={t('calendar.outsideHours.bookQuestion')}
            confirmLabel={t('calendar.outsideHours.book')}
            busy={booking.isPending}
            onConfirm={() => bookAnyway(outside.skipClashes)}
            onBack={backToTheTime}
          />
        )}
        <NextFreeSlots
          practitioners={props.practitioners}
          practitionerId={draft.practitionerId}
          start={draft.start}
          duration={draft.duration}
          open={freeOpen}
          onOpen={() => setFreeOpen(true)}
          onPick={takeFree}
        />
        {starts.length > 0 && (
          <p id="booking-summary" className="text-sm text-slate-700" data-testid="booking-summary">
            {t('calendar.summary.willBook', { summary: describeSessions(starts, t, locale) })}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <button type="button" className={secondaryButton} onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className={primaryButton}
            disabled={booking.isPending}
            aria-describedby={starts.length > 0 ? 'booking-summary' : undefined}
          >
            {booking.isPending ? t('common.saving') : t('calendar.book')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
