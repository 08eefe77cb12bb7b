import type { EventMountArg } from '@fullcalendar/core';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { appointmentRecord } from '../../test/appointmentFixtures';
import { inTimeZone } from '../../test/timeZone';
import { EventTooltip, tooltipDidMount, tooltipWillUnmount } from './EventTooltip';

inTimeZone('Europe/Madrid');

/** An event's element as FullCalendar mounts it, with the tooltip's listeners on. */
function mountedEvent(props: object, title: string): EventMountArg {
  const el = document.createElement('a');
  document.body.append(el);
  return { el, event: { title, extendedProps: props } } as unknown as EventMountArg;
}

describe('event tooltip', () => {
  it('says why a cancelled appointment was cancelled, and an arrival in words', () => {
    render(<EventTooltip />);
    const cancelled = mountedEvent(
      { appointment: appointmentRecord({ status: 'cancelled', cancellationReason: 'late' }), typeName: null, statusLabel: 'Cancelada' },
      'José García Núñez',
    );
    tooltipDidMount(cancelled);
    act(() => {
      fireEvent.focus(cancelled.el);
    });
    const tip = screen.getByRole('tooltip');
    expect(tip).toHaveTextContent('Estado: Cancelada');
    expect(tip).toHaveTextContent('Motivo: Cancelación tardía');
    expect(cancelled.el).toHaveAttribute('aria-describedby', tip.id);
    act(() => tooltipWillUnmount(cancelled));

    const arrived = mountedEvent(
      { appointment: appointmentRecord({ status: 'arrived' }), typeName: null, statusLabel: 'Ha llegado' },
      'Marta Sanz',
    );
    tooltipDidMount(arrived);
    act(() => {
      fireEvent.focus(arrived.el);
    });
    expect(screen.getByRole('tooltip')).toHaveTextContent('Estado: Ha llegado');
    expect(screen.getByRole('tooltip')).not.toHaveTextContent('Motivo');
    act(() => tooltipWillUnmount(arrived));
  });
});
