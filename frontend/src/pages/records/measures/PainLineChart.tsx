import {
  CartesianGrid,
  type DotItemDotProps,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from 'recharts';
import type { PainPoint } from '../../../api/records';
import { formatCalendarDate } from '../../../i18n/format';
import { useI18n } from '../../../i18n/useI18n';
import { AXIS, dayAxis, dayOf, FOCUS_RING, GRID, INITIAL_SIZE, isoOf, LINE } from './chartParts';
import { CHART_HEIGHT } from './chartSize';

const PAIN_MAX = 10;

interface Plotted {
  day: number;
  pain: number;
  point: PainPoint;
}

interface PainTooltipProps extends Partial<Pick<TooltipContentProps, 'active' | 'payload'>> {
  describe: (point: PainPoint) => string;
}

/** What the tooltip says of the rating under the pointer or picked with ←/→ (a status region). */
function PainTooltip({ active, payload, describe }: PainTooltipProps) {
  const plotted = active ? (payload?.[0]?.payload as Plotted | undefined) : undefined;
  return (
    <div role="status" className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 shadow-sm">
      {plotted && <p>{describe(plotted.point)}</p>}
    </div>
  );
}

/** A signed note's or a measure's rating is a filled dot; the reader's own draft a hollow one. */
function painDot({ cx, cy, index, payload }: DotItemDotProps) {
  if (cx === undefined || cy === undefined) return null;
  const draft = !(payload as Plotted).point.signed;
  return (
    <circle
      key={index}
      className="recharts-dot recharts-line-dot"
      cx={cx}
      cy={cy}
      r={3.5}
      stroke={LINE}
      strokeWidth={1.5}
      fill={draft ? '#ffffff' : LINE}
    />
  );
}

interface PainLineChartProps {
  /** The ratings, oldest first. */
  points: PainPoint[];
  /** The chart's accessible name (its SVG title) and description (its SVG desc). */
  title: string;
  summary: string;
  /** "12 ene 2026 · 6/10 · Nota de tratamiento", what the tooltip says of one rating. */
  describe: (point: PainPoint) => string;
}

/**
 * Pain 0–10 over time as a Recharts line chart, x the day (to scale). Like ScoreLineChart: one
 * image with a title and a description to assistive technology (the table beside it carries
 * every number), focusable, ←/→ moving the tooltip from rating to rating; its own module, so
 * Recharts loads only where there is something to draw.
 */
export default function PainLineChart({ points, title, summary, describe }: PainLineChartProps) {
  const { locale } = useI18n();
  const data: Plotted[] = points.map((point) => ({ day: dayOf(point.date), pain: point.pain, point }));
  const axis = dayAxis(data.map((plotted) => plotted.day));

  return (
    <div className={FOCUS_RING}>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT} initialDimension={INITIAL_SIZE}>
        <LineChart
          data={data}
          accessibilityLayer
          role="img" // an image with a title and a description, as ScoreLineChart explains
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
          <YAxis domain={[0, PAIN_MAX]} ticks={[0, 5, 10]} tick={{ fill: AXIS, fontSize: 11 }} stroke={AXIS} width={40} />
          <Tooltip content={<PainTooltip describe={describe} />} isAnimationActive={false} cursor={{ stroke: AXIS, strokeDasharray: '2 2' }} />
          <Line
            dataKey="pain"
            type="linear"
            stroke={LINE}
            strokeWidth={2}
            dot={painDot}
            activeDot={{ r: 5, fill: LINE, stroke: '#ffffff', strokeWidth: 2 }}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
