import { CHART_HEIGHT } from './chartSize';

// What the Recharts charts of the clinical history share (the scores of each instrument, pain):
// imported by their lazy modules only, so none of it weighs on the patient page's first load.

export const DAY_MS = 86_400_000;
/**
 * The size a chart has before the browser measures its box (and keeps where nothing measures:
 * jsdom has no layout and no ResizeObserver, so tests see this one).
 */
export const INITIAL_SIZE = { width: 320, height: CHART_HEIGHT };
export const LINE = '#0f766e'; // teal-700, like the app's buttons: 5.5:1 on white
export const MCID = '#b45309'; // amber-700: 5:1 on white
export const AXIS = '#475569'; // slate-600
export const GRID = '#e2e8f0'; // slate-200
/** Keeps the keyboard focus ring visible on the chart's SVG (Recharts makes it focusable). */
export const FOCUS_RING =
  '[&_.recharts-surface:focus-visible]:outline-2 [&_.recharts-surface:focus-visible]:outline-offset-2 [&_.recharts-surface:focus-visible]:outline-teal-700';

/** A calendar date as the x axis plots it: ms since the epoch at 00:00 UTC. */
export const dayOf = (isoDate: string) => Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`);
export const isoOf = (day: number) => new Date(day).toISOString().slice(0, 10);

/** The x axis from the first day to the last; one day alone sits in the middle of three. */
export function dayAxis(days: number[]): { domain: [number, number]; ticks: number[] } {
  const [from, to] = [days[0] ?? 0, days.at(-1) ?? 0];
  return from === to ? { domain: [from - DAY_MS, to + DAY_MS], ticks: [from] } : { domain: [from, to], ticks: [from, to] };
}
