import { describe, expect, it } from 'vitest';
import { atSlot, columnDropAt } from './columnDrop';

function at(practitioner: string, time: string): HTMLElement {
  return document.querySelector<HTMLElement>(`section[data-practitioner-id="${practitioner}"] td[data-time="${time}"]`)!;
}

/** Two columns of a time grid with three 15-minute rows each, 20 px high from y = 100. */
function page(): void {
  document.body.innerHTML = ['laura', 'jordi']
    .map(
      (id) => `<section data-practitioner-id="${id}"><table><tbody>
        ${['10:00:00', '10:15:00', '10:30:00'].map((time) => `<tr><td class="fc-timegrid-slot fc-timegrid-slot-lane" data-time="${time}"></td></tr>`).join('')}
      </tbody></table></section>`,
    )
    .join('');
  for (const section of document.querySelectorAll('section')) {
    section.querySelectorAll<HTMLElement>('td[data-time]').forEach((row, index) => {
      row.getBoundingClientRect = () => ({ top: 100 + index * 20, bottom: 120 + index * 20 }) as DOMRect;
    });
  }
}

function pointingAt(element: Element | null): Document {
  return { elementFromPoint: () => element } as unknown as Document;
}

describe('a drop on the day by columns', () => {
  it('is the column under the point and the slot row at its height', () => {
    page();
    expect(columnDropAt(pointingAt(at('jordi', '10:00:00')), 50, 125)).toEqual({ practitionerId: 'jordi', time: '10:15:00' });
    expect(columnDropAt(pointingAt(at('laura', '10:30:00')), 50, 100)).toEqual({ practitionerId: 'laura', time: '10:00:00' });
  });

  it('is nothing outside a column or below its last slot', () => {
    page();
    expect(columnDropAt(pointingAt(document.body), 50, 105)).toBeNull();
    expect(columnDropAt(pointingAt(null), 50, 105)).toBeNull();
    expect(columnDropAt(pointingAt(at('jordi', '10:30:00')), 50, 160)).toBeNull();
  });

  it('starts on the column\'s day at the slot\'s time', () => {
    const start = atSlot(new Date(2026, 11, 21, 0, 0), '10:15:00');
    expect([start.getFullYear(), start.getMonth(), start.getDate(), start.getHours(), start.getMinutes()]).toEqual([2026, 11, 21, 10, 15]);
  });
});
