/** The chart's height: ScoreLineChart draws at it, ScoreChart keeps the room free while it loads. */
export const CHART_HEIGHT = 200;
