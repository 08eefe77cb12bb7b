import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type Appointment, type AppointmentStatus, updateAppointment, withStatus } from '../../api/appointments';
import { errorMessage, toApiError } from '../../api/problem';
import { appointmentKeys, dashboardKeys } from '../../api/queryKeys';
import type { TranslationKey } from '../../i18n/catalogs';
import { formatTimeRange } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import { primaryButton, secondaryButton } from '../../components/styles';
import { rowActions } from './statusActions';

const ACTION_LABELS: Partial<Record<AppointmentStatus, TranslationKey>> = {
  arrived: 'calendar.markArrived',
  completed: 'calendar.markCompleted',
  no_show: 'calendar.markNoShow',
};

// Big enough to hit with a thumb (44 px), small enough for three on a phone's row.
const compact = 'min-h-11 px-3 py-1 text-sm';

/** What the list says after an action: the change made, or why it was not. */
export interface RowNotice {
  tone: 'success' | 'error';
  text: string;
}

interface TodayRowActionsProps {
  appointment: Appointment;
  now: Date;
  onDone: (notice: RowNotice) => void;
  /** A table cell stacks them on a narrow column; a phone's card puts them side by side. */
  layout?: 'stack' | 'row';
}

/**
 * The row's buttons: "Ha llegado", "Marcar realizada", "No acudió", each only when scheduling
 * would accept it now. Each names its patient and time, so a screen reader's list of buttons
 * says which row it acts on.
 */
export function TodayRowActions({ appointment, now, onDone, layout = 'stack' }: TodayRowActionsProps) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (status: AppointmentStatus) =>
      updateAppointment(appointment.id, withStatus(appointment, status), `"${appointment.version}"`),
    onSuccess: (_saved, status) => onDone({ tone: 'success', text: t(`calendar.statusChanged.${status}`) }),
    onError: (error) => {
      const stale = toApiError(error).status === 412;
      onDone({ tone: 'error', text: stale ? t('calendar.stale') : errorMessage(error, t) });
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: appointmentKeys.all }),
        queryClient.invalidateQueries({ queryKey: dashboardKeys.stats }),
      ]),
  });
  const actions = rowActions(appointment, now);
  if (actions.length === 0) return null;
  const who = appointment.patientName ?? '';
  const time = formatTimeRange(appointment.startsAt, appointment.endsAt, locale);
  return (
    <div className={layout === 'row' ? 'flex flex-wrap gap-2' : 'flex flex-col gap-1 lg:flex-row lg:flex-wrap'}>
      {actions.map((status) => {
        const label = ACTION_LABELS[status];
        if (!label) return null;
        return (
          <button
            key={status}
            type="button"
            className={`${status === 'completed' ? primaryButton : secondaryButton} ${compact}`}
            disabled={change.isPending}
            aria-label={t('dashboard.actionFor', { action: t(label), who, time })}
            onClick={() => change.mutate(status)}
          >
            {t(label)}
          </button>
        );
      })}
    </div>
  );
}
