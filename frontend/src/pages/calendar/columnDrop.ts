/**
 * Where a drag between the columns of the day by columns ends, read off the page.
 *
 * Each column is a calendar of its own, and FullCalendar does not carry a drag from one into
 * the next: its hit test keeps the dragged event in its own calendar (seen in Chromium with
 * FullCalendar 6.1), so `eventReceive` never fires. The column and the time are therefore read
 * from the element under the pointer, where it was pressed and where it is let go: the column's
 * `section[data-practitioner-id]` and the time grid's slot row (`td[data-time]`); the event
 * moves by as many slots as the pointer did, as FullCalendar moves it within a column.
 */

export interface ColumnDrop {
  practitionerId: string;
  /** The slot's time of day, "HH:MM:SS". */
  time: string;
}

/** The column and slot under `(x, y)` of the viewport, if that point is on a column's time grid. */
export function columnDropAt(root: Document, x: number, y: number): ColumnDrop | null {
  const element = root.elementFromPoint(x, y);
  const column = element?.closest<HTMLElement>('section[data-practitioner-id]');
  const practitionerId = column?.dataset.practitionerId;
  if (!column || !practitionerId) return null;
  // The slot rows span the grid's width: the one at the height of the point, whatever lies on it.
  for (const row of column.querySelectorAll<HTMLElement>('td.fc-timegrid-slot-lane[data-time]')) {
    const box = row.getBoundingClientRect();
    if (y >= box.top && y < box.bottom) return { practitionerId, time: row.dataset.time ?? '' };
  }
  return null;
}

/** `day` at the slot's time of day (local time, as the grid draws it). */
export function atSlot(day: Date, time: string): Date {
  const [hours, minutes, seconds] = time.split(':').map(Number);
  const start = new Date(day);
  start.setHours(hours ?? 0, minutes ?? 0, seconds ?? 0, 0);
  return start;
}
