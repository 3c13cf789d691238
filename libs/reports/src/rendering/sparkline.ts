export type Trend = 'rising' | 'falling' | 'steady' | 'single';

/** Last against first: more than `tolerance` up is rising, down is falling; one value is just that. */
export function trendOf(values: readonly number[], tolerance: number): Trend {
  if (values.length < 2) return 'single';
  const delta = values[values.length - 1] - values[0];
  return delta > tolerance ? 'rising' : delta < -tolerance ? 'falling' : 'steady';
}

export interface SparklineOptions {
  /** The value range the chart spans (a scale's ends, 0–100 for progress), so charts compare at a glance. */
  min: number;
  max: number;
  /** What is charted, for the accessible description: "Energy (1–10)". */
  label: string;
  /** Appended to numbers in the description and the labels ("%"). */
  unit?: string;
  /** Changes within this are "steady". */
  tolerance?: number;
}

export const formatNumber = (value: number) => String(Math.round(value * 10) / 10);

/** The sentence screen readers (and anyone without images) get for a chart: what, which way, from and to. */
export function describeTrend(values: readonly number[], options: Pick<SparklineOptions, 'label' | 'unit' | 'tolerance'>): string {
  const unit = options.unit ?? '';
  if (values.length === 0) return `${options.label}: no data`;
  if (values.length === 1) return `${options.label}: one value, ${formatNumber(values[0])}${unit}`;
  const trend = trendOf(values, options.tolerance ?? 0);
  return `${options.label}: ${trend} from ${formatNumber(values[0])}${unit} to ${formatNumber(values[values.length - 1])}${unit} over ${values.length} values`;
}

/** Everything the chart template draws, in pixels: numbers only, plus the (escaped by the template) description. */
export interface SparklineView {
  width: number;
  height: number;
  description: string;
  /** The polyline's points ("x,y x,y"); empty for one value. */
  points: string;
  /** The scale's ends, written at the left of the lines they label. */
  axis: { x: number; top: number; bottom: number; left: number; right: number; maxLabel: string; minLabel: string };
  last: { x: number; y: number; label: string; labelX: number; labelY: number };
}

const WIDTH = 200;
const HEIGHT = 48;
/** Room for the scale labels at the left and for the last value at the right. */
const LEFT = 30;
const RIGHT = 40;
const PAD_Y = 7;
const round = (n: number) => Math.round(n * 10) / 10;

/**
 * A small line chart with its scale (the range's ends, labelled, as faint lines) and its last value written
 * beside the last point; null for no values. Values outside the range are drawn at its edge.
 */
export function sparkline(values: readonly number[], options: SparklineOptions): SparklineView | null {
  if (values.length === 0) return null;
  const unit = options.unit ?? '';
  const span = options.max - options.min || 1;
  const plotRight = WIDTH - RIGHT;
  const x = (i: number) => (values.length === 1 ? (LEFT + plotRight) / 2 : LEFT + (i * (plotRight - LEFT)) / (values.length - 1));
  const y = (v: number) => {
    const clamped = Math.min(options.max, Math.max(options.min, v));
    return PAD_Y + (1 - (clamped - options.min) / span) * (HEIGHT - 2 * PAD_Y);
  };
  const last = values.length - 1;
  const lastX = round(x(last));
  const lastY = round(y(values[last]));
  return {
    width: WIDTH,
    height: HEIGHT,
    description: describeTrend(values, options),
    points: values.length > 1 ? values.map((v, i) => `${round(x(i))},${round(y(v))}`).join(' ') : '',
    axis: {
      x: LEFT - 4,
      top: PAD_Y,
      bottom: HEIGHT - PAD_Y,
      left: LEFT,
      right: plotRight,
      maxLabel: `${formatNumber(options.max)}${unit}`,
      minLabel: `${formatNumber(options.min)}${unit}`,
    },
    last: { x: lastX, y: lastY, label: `${formatNumber(values[last])}${unit}`, labelX: round(lastX + 6), labelY: round(Math.min(HEIGHT - 2, Math.max(10, lastY + 4))) },
  };
}
