export type Trend = 'rising' | 'falling' | 'steady' | 'single';

/** Last against first: more than `tolerance` up is rising, down is falling; one value is just that. */
export function trendOf(values: readonly number[], tolerance: number): Trend {
  if (values.length < 2) return 'single';
  const delta = values[values.length - 1] - values[0];
  return delta > tolerance ? 'rising' : delta < -tolerance ? 'falling' : 'steady';
}

export const escapeHtml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export interface SparklineOptions {
  /** The value range the chart spans (a scale's ends, 0–100 for progress), so charts compare at a glance. */
  min: number;
  max: number;
  /** What is charted, for the accessible description: "Energy (1–10)". */
  label: string;
  /** Appended to numbers in the description ("%"). */
  unit?: string;
  /** Changes within this are "steady". */
  tolerance?: number;
  width?: number;
  height?: number;
}

const format = (value: number) => String(Math.round(value * 10) / 10);

/** The sentence screen readers (and anyone without images) get for a chart: what, which way, from and to. */
export function describeTrend(values: readonly number[], options: Pick<SparklineOptions, 'label' | 'unit' | 'tolerance'>): string {
  const unit = options.unit ?? '';
  if (values.length === 0) return `${options.label}: no data`;
  if (values.length === 1) return `${options.label}: one value, ${format(values[0])}${unit}`;
  const trend = trendOf(values, options.tolerance ?? 0);
  return `${options.label}: ${trend} from ${format(values[0])}${unit} to ${format(values[values.length - 1])}${unit} over ${values.length} values`;
}

/**
 * A small inline SVG line chart: no script, no external assets, no CSS beyond attributes, so it renders in
 * mail clients that show SVG at all. `role="img"` with an `aria-label` (and a `<title>`) describing the trend;
 * callers put the numbers next to it in text too, for clients that drop SVG. Empty string for no values.
 */
export function sparkline(values: readonly number[], options: SparklineOptions): string {
  if (values.length === 0) return '';
  const width = options.width ?? 120;
  const height = options.height ?? 24;
  const pad = 2.5;
  const span = options.max - options.min || 1;
  const x = (i: number) => (values.length === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (values.length - 1));
  const y = (v: number) => {
    const clamped = Math.min(options.max, Math.max(options.min, v));
    return pad + (1 - (clamped - options.min) / span) * (height - 2 * pad);
  };
  const round = (n: number) => Math.round(n * 10) / 10;
  const points = values.map((v, i) => `${round(x(i))},${round(y(v))}`).join(' ');
  const last = values.length - 1;
  const description = escapeHtml(describeTrend(values, options));
  const line =
    values.length > 1
      ? `<polyline fill="none" stroke="#2563eb" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round" points="${points}"/>`
      : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${description}">` +
    `<title>${description}</title>${line}<circle cx="${round(x(last))}" cy="${round(y(values[last]))}" r="2.5" fill="#2563eb"/></svg>`
  );
}
