export interface Bar {
  label: string;
  value: number;
  /** The value as shown next to the bar (defaults to the number). */
  text?: string;
  color: string;
}

/**
 * A horizontal bar chart in inline SVG. It is one image to assistive technology, named by its
 * title and described by a sentence listing every value.
 */
export function BarChart({ id, title, bars, max }: { id: string; title: string; bars: Bar[]; max?: number }) {
  const width = 640;
  const labelWidth = 130;
  const valueWidth = 90;
  const row = 34;
  const barHeight = 22;
  const height = bars.length * row + 8;
  const top = Math.max(max ?? 0, ...bars.map((b) => b.value), 1);
  const span = width - labelWidth - valueWidth;
  const description = bars.map((b) => `${b.label}: ${b.text ?? b.value}`).join(', ');
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      data-chart={id}
      preserveAspectRatio="xMinYMin meet"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      {bars.map((b, i) => {
        const y = 4 + i * row;
        const w = Math.max(b.value > 0 ? 2 : 0, (b.value / top) * span);
        return (
          <g key={b.label} data-bar={b.label} data-value={b.value}>
            <text x={labelWidth - 10} y={y + barHeight / 2} dominantBaseline="middle" textAnchor="end" className="chart__label">
              {b.label}
            </text>
            <rect x={labelWidth} y={y} width={span} height={barHeight} rx={4} className="chart__track" />
            <rect x={labelWidth} y={y} width={w} height={barHeight} rx={4} fill={b.color} className="chart__bar" />
            <text x={labelWidth + span + 10} y={y + barHeight / 2} dominantBaseline="middle" className="chart__value">
              {b.text ?? b.value}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
