import type { Measure } from '../../../api/records';
import { formatCalendarDate, formatNumber } from '../../../i18n/format';
import { useI18n } from '../../../i18n/useI18n';
import { INSTRUMENT_SPECS, mcidTarget } from './instruments';

const WIDTH = 320;
const HEIGHT = 160;
const PAD = { left: 32, right: 12, top: 10, bottom: 24 };

/**
 * One instrument's scores over time as a small line chart (inline SVG), with the same numbers
 * in a table under it for screen readers and keyboard users. The dashed line is the score that
 * would be a clinically important change from the first one (baseline ∓ MCID).
 */
export function ScoreChart({ measures }: { measures: Measure[] }) {
  const { t, locale } = useI18n();
  const first = measures[0];
  const last = measures.at(-1);
  if (!first || !last) return null;
  const spec = INSTRUMENT_SPECS[first.instrument];
  const label = t(spec.label);
  const scoreMax = first.scoreMax;
  const days = measures.map((m) => Date.parse(`${m.takenOn}T00:00:00Z`));
  const [from, to] = [Math.min(...days), Math.max(...days)];
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (day: number) => PAD.left + (to === from ? plotW / 2 : ((day - from) / (to - from)) * plotW);
  const y = (score: number) => PAD.top + plotH - (Math.min(Math.max(score, 0), scoreMax) / scoreMax) * plotH;
  const points = measures.map((m, i) => ({ x: x(days[i]!), y: y(m.score), measure: m }));
  const target = mcidTarget(first.score, first);
  const score = (value: number) => formatNumber(value, locale);
  const headingId = `chart-${first.instrument}-title`;
  const summary = t('measures.chart.summary', {
    instrument: label,
    count: measures.length,
    from: formatCalendarDate(first.takenOn, locale),
    to: formatCalendarDate(last.takenOn, locale),
    first: score(first.score),
    last: score(last.score),
    max: score(scoreMax),
    target: score(target),
  });

  return (
    <figure aria-labelledby={headingId} className="flex flex-col gap-2 rounded-md border border-slate-200 p-3" data-testid="measure-chart">
      <h4 id={headingId} className="font-semibold">
        {label}
      </h4>
      <svg
        role="img"
        aria-label={summary}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="h-auto w-full max-w-md"
        preserveAspectRatio="xMidYMid meet"
      >
        {[0, scoreMax / 2, scoreMax].map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} stroke="#e2e8f0" />
            <text x={PAD.left - 4} y={y(tick) + 4} textAnchor="end" fontSize="10" fill="#475569">
              {score(tick)}
            </text>
          </g>
        ))}
        <line
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          y1={y(target)}
          y2={y(target)}
          stroke="#b45309"
          strokeDasharray="4 3"
          data-testid="mcid-line"
        />
        <polyline
          points={points.map((p) => `${p.x},${p.y}`).join(' ')}
          fill="none"
          stroke="#0f766e"
          strokeWidth="2"
        />
        {points.map((p) => (
          <circle key={p.measure.id} cx={p.x} cy={p.y} r="3.5" fill="#0f766e" />
        ))}
        <text x={PAD.left} y={HEIGHT - 6} fontSize="10" fill="#475569">
          {formatCalendarDate(first.takenOn, locale)}
        </text>
        {to !== from && (
          <text x={WIDTH - PAD.right} y={HEIGHT - 6} fontSize="10" fill="#475569" textAnchor="end">
            {formatCalendarDate(last.takenOn, locale)}
          </text>
        )}
      </svg>
      <figcaption className="text-sm text-slate-700">
        {t(first.direction === 'lower_is_better' ? 'measures.chart.lowerBetter' : 'measures.chart.higherBetter', {
          mcid: score(first.mcid),
          target: score(target),
        })}
      </figcaption>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{t('measures.chart.tableCaption', { instrument: label })}</caption>
          <thead>
            <tr className="border-b border-slate-200">
              <th scope="col" className="py-1 pr-3 font-medium">
                {t('measures.date')}
              </th>
              <th scope="col" className="py-1 pr-3 font-medium">
                {t('measures.score')}
              </th>
            </tr>
          </thead>
          <tbody>
            {measures.map((m) => (
              <tr key={m.id} className="border-b border-slate-100">
                <td className="py-1 pr-3">{formatCalendarDate(m.takenOn, locale)}</td>
                <td className="py-1 pr-3">
                  {t('measures.scoreOf', { score: score(m.score), max: score(m.scoreMax) })}
                  {m.missing > 0 && ` · ${t('measures.missingCount', { count: m.missing })}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
