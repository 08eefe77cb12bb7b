import { useEffect, useRef } from 'react';
import type { Practitioner } from '../../api/appointments';
import { Modal } from '../../components/Modal';
import { primaryButton, secondaryButton } from '../../components/styles';
import { useI18n } from '../../i18n/useI18n';
import type { MoveQuestion } from './useAppointmentMove';

interface MoveConfirmProps {
  question: MoveQuestion;
  practitioners: readonly Practitioner[];
}

/**
 * "¿Mover la cita?": a drag to another day or another physiotherapist is easy to do by mistake,
 * so it waits for "Mover"; "Cancelar", Escape or the close button put the event back.
 */
export function MoveConfirm({ question, practitioners }: MoveConfirmProps) {
  const { t, locale } = useI18n();
  const move = useRef<HTMLButtonElement>(null);
  useEffect(() => move.current?.focus(), []);
  const { appointment, target } = question;
  const when = new Intl.DateTimeFormat(locale === 'es' ? 'es-ES' : 'en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  });
  const nameOf = (id: string) => practitioners.find((p) => p.id === id)?.fullName ?? '';
  const name = appointment.patientName ?? appointment.title ?? t('calendar.appointment');
  const changesPractitioner = !!target.practitionerId && target.practitionerId !== appointment.practitionerId;
  return (
    <Modal title={t('calendar.moveConfirm.title')} closeLabel={t('common.close')} onClose={question.cancel}>
      <div className="flex flex-col gap-3 text-sm">
        <p data-testid="move-confirm-when">
          {t('calendar.moveConfirm.day', {
            name,
            from: when.format(new Date(appointment.startsAt)),
            to: when.format(target.start),
          })}
        </p>
        {changesPractitioner && (
          <p data-testid="move-confirm-practitioner">
            {t('calendar.moveConfirm.practitioner', {
              from: nameOf(appointment.practitionerId),
              to: nameOf(target.practitionerId ?? ''),
            })}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <button type="button" className={secondaryButton} onClick={question.cancel}>
            {t('common.cancel')}
          </button>
          <button ref={move} type="button" className={primaryButton} onClick={question.proceed}>
            {t('calendar.moveConfirm.move')}
          </button>
        </div>
      </div>
    </Modal>
  );
}
