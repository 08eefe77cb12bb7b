import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from 'recharts';
import type { Locale } from '../../../i18n/catalogs';
import { formatCalendarDate, formatNumber } from '../../../i18n/format';
import { useI18n } from '../../../i18n/useI18n';
import { CHART_HEIGHT } from './chartSize';
import { activitiesSummary, type MeasureRow } from './instruments';
const DAY_MS = 86_400_000;
/**
 * The size the chart has before the browser measures its box (and keeps where nothing measures:
 * jsdom has no layout and no ResizeObserver, so tests see this one).
 */
const INITIAL_SIZE = { width: 320, height: CHART_HEIGHT };
const LINE = '#0f766e'; // teal-700, like the app's buttons: 5.5:1 on white
const MCID = '#b45309'; // amber-700: 5:1 on white
const AXIS = '#475569'; // slate-600

interface Point {
  day: number;
  score: number;
  measure: MeasureRow;
}

const dayOf = (isoDate: string) => Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`);
const isoOf = (day: number) => new Date(day).toISOString().slice(0, 10);

interface PointTooltipProps extends Partial<Pick<TooltipContentProps, 'active' | 'payload'>> {
  locale: Locale;
  scoreOf: (measure: MeasureRow) => string;
}

/**
 * What the tooltip says of the measure under the pointer or picked with ←/→: its date and score
 * (and the PSFS's activities). A status region, so a screen reader in focus mode hears it.
 */
function PointTooltip({ active, payload, locale, scoreOf }: PointTooltipProps) {
  const point = active ? (payload?.[0]?.payload as Point | undefined) : undefined;
  return (
    <div role="status" className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 shadow-sm">
      {point && (
        <>
          <p className="font-medium">{formatCalendarDate(point.measure.takenOn, locale)}</p>
          <p>{scoreOf(point.measure)}</p>
          {point.measure.activities && <p className="text-slate-700">{activitiesSummary(point.measure)}</p>}
        </>
      )}
    </div>
  );
}

interface ScoreLineChartProps {
  /** One instrument's measures, oldest first. */
  measures: MeasureRow[];
  /** The chart's accessible name (its SVG title) and description (its SVG desc). */
  title: string;
  summary: string;
  /** Where the dashed MCID line goes. */
  target: number;
}

/**
 * The scores as a Recharts line chart: x is the day taken (to scale), y the score on the
 * instrument's whole range, the dashed line the MCID target. To assistive technology it is one
 * image with a title and a description (the table beside it carries every number); Recharts'
 * accessibility layer keeps it focusable, and ←/→ move a tooltip from measure to measure.
 * Its own module, loaded only when a patient has measures: Recharts stays out of every other page.
 */
export default function ScoreLineChart({ measures, title, summary, target }: ScoreLineChartProps) {
  const { t, locale } = useI18n();
  const scoreMax = measures[0]?.scoreMax ?? 10;
  const points: Point[] = measures.map((measure) => ({ day: dayOf(measure.takenOn), score: measure.score, measure }));
  const [from, to] = [points[0]?.day ?? 0, points.at(-1)?.day ?? 0];
  // One day alone (or several measures on it) sits in the middle of a three-day axis.
  const domain = from === to ? [from - DAY_MS, to + DAY_MS] : [from, to];
  const score = (value: number) => formatNumber(value, locale);
  const scoreOf = (measure: MeasureRow) =>
    t('measures.scoreOf', { score: score(measure.score), max: score(measure.scoreMax) });

  return (
    <div className="[&_.recharts-surface:focus-visible]:outline-2 [&_.recharts-surface:focus-visible]:outline-offset-2 [&_.recharts-surface:focus-visible]:outline-teal-700">
      <ResponsiveContainer width="100%" height={CHART_HEIGHT} initialDimension={INITIAL_SIZE}>
        <LineChart
          data={points}
          accessibilityLayer
          // Recharts would say "application"; an image with a title and a description is what it
          // is to a screen reader (the arrow keys still move the tooltip for keyboard users).
          role="img"
          title={title}
          desc={summary}
          margin={{ top: 12, right: 16, bottom: 4, left: 0 }}
        >
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis
            dataKey="day"
            type="number"
            scale="time"
            domain={domain}
            ticks={from === to ? [from] : [from, to]}
            tickFormatter={(day: number) => formatCalendarDate(isoOf(day), locale)}
            tick={{ fill: AXIS, fontSize: 11 }}
            stroke={AXIS}
          />
          <YAxis
            domain={[0, scoreMax]}
            ticks={[0, scoreMax / 2, scoreMax]}
            tickFormatter={score}
            tick={{ fill: AXIS, fontSize: 11 }}
            stroke={AXIS}
            width={40}
          />
          <ReferenceLine
            y={target}
            stroke={MCID}
            strokeDasharray="4 3"
            label={{ value: t('measures.outcomes.mcid'), position: 'insideTopRight', fill: MCID, fontSize: 11 }}
          />
          <Tooltip
            content={<PointTooltip locale={locale} scoreOf={scoreOf} />}
            isAnimationActive={false}
            cursor={{ stroke: AXIS, strokeDasharray: '2 2' }}
          />
          <Line
            dataKey="score"
            type="linear"
            stroke={LINE}
            strokeWidth={2}
            dot={{ r: 3.5, fill: LINE, stroke: LINE }}
            activeDot={{ r: 5, fill: LINE, stroke: '#ffffff', strokeWidth: 2 }}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
