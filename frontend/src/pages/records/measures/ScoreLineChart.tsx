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
import type { Measure } from '../../../api/records';
import type { Locale } from '../../../i18n/catalogs';
import { formatCalendarDate, formatNumber } from '../../../i18n/format';
import { useI18n } from '../../../i18n/useI18n';
import { AXIS, dayAxis, dayOf, FOCUS_RING, GRID, INITIAL_SIZE, isoOf, LINE, MCID } from './chartParts';
import { CHART_HEIGHT } from './chartSize';
import { activitiesSummary } from './instruments';

interface Point {
  day: number;
  score: number;
  measure: Measure;
}

interface PointTooltipProps extends Partial<Pick<TooltipContentProps, 'active' | 'payload'>> {
  locale: Locale;
  scoreOf: (measure: Measure) => string;
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
  measures: Measure[];
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
  const axis = dayAxis(points.map((point) => point.day));
  const score = (value: number) => formatNumber(value, locale);
  const scoreOf = (measure: Measure) =>
    t('measures.scoreOf', { score: score(measure.score), max: score(measure.scoreMax) });

  return (
    <div className={FOCUS_RING}>
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
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis
            dataKey="day"
            type="number"
            scale="time"
            domain={axis.domain}
            ticks={axis.ticks}
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
