/**
 * The `-q` target on a throughput chart: a dashed rule at the requests per second the runs were
 * asked for, so a reader sees at once whether an environment kept up with the rate or fell short.
 * One target for the whole chart is a rule across it, labelled `target 200 req/s`; targets
 * that differ by concurrency are a short dashed segment over each concurrency, each labelled `-q 200`.
 */
import { widestGapMiddle } from './concurrency-axis.ts';

/** The `-q` target of the runs at one concurrency. */
export interface RateTargetMark {
  concurrency: number;
  /** The requests per second asked for (`oha -q`). */
  requestsPerSec: number;
}

/** Colour of the rule and its label: a dark grey, apart from every environment's colour. */
const RULE_COLOR = '#555555';

/** Dash pattern of the rule: 6 pixels drawn, 4 left out. */
const RULE_DASH = [6, 4];

/** Octaves each side of a concurrency that its own segment spans, at most (see {@link segmentHalfWidth}). */
const SEGMENT_HALF_WIDTH = 0.3;

/** `target 200 req/s` (the requested rate, whatever the tool): the label of a target, its number without locale grouping. */
export function rateTargetLabel(requestsPerSec: number): string {
  return `target ${String(requestsPerSec)} req/s`;
}

/**
 * Octaves each side of a concurrency that a segment spans: {@link SEGMENT_HALF_WIDTH}, narrowed
 * so that the segments of neighbouring concurrencies keep a gap between them.
 */
function segmentHalfWidth(concurrencies: readonly number[]): number {
  let narrowest = SEGMENT_HALF_WIDTH;
  for (let i = 1; i < concurrencies.length; i++) {
    narrowest = Math.min(narrowest, 0.4 * Math.log2(concurrencies[i]! / concurrencies[i - 1]!));
  }
  return narrowest;
}

/**
 * The layers drawing `targets` on a chart whose `x` encoding is `concurrencies` on a log-2 scale
 * (see `concurrency-axis.ts`) and whose `y` encoding is requests per second: the chart's own, so
 * that the layers share its scales and axes and the y domain takes in every target. Each layer
 * has its own data. The `rules` go under the chart's layers, so that a line running at the target
 * is drawn over its rule; the `labels` over them, each with a white outline that keeps it legible
 * across a line. A single target's label stands above the rule in the widest gap between the
 * concurrencies (where no point is); a segment's, above its right half. No layer without a target.
 */
export function rateTargetLayers<X extends { field: string }, Y extends { field: string }>(
  targets: readonly RateTargetMark[],
  concurrencies: readonly number[],
  x: X,
  y: Y,
) {
  if (targets.length === 0) return { rules: [], labels: [] };
  const at = { ...y, field: 'requestsPerSec' };
  const rule = { type: 'rule' as const, color: RULE_COLOR, strokeDash: RULE_DASH, strokeWidth: 1.5 };
  const text = { type: 'text' as const, color: RULE_COLOR, fontSize: 11, baseline: 'bottom' as const, dy: -3 };
  const label = <M extends object, E extends object>(mark: M, encoding: E) => [
    { mark: { ...text, ...mark, color: 'white', stroke: 'white', strokeWidth: 3, strokeJoin: 'round' as const }, encoding },
    { mark: { ...text, ...mark }, encoding },
  ];
  const values = [...new Set(targets.map((t) => t.requestsPerSec))];
  if (values.length === 1) {
    const middle = widestGapMiddle(concurrencies) ?? targets[0]!.concurrency;
    const data = { values: [{ concurrency: middle, requestsPerSec: values[0]!, label: rateTargetLabel(values[0]!) }] };
    return {
      rules: [{ data, mark: rule, encoding: { y: at } }],
      labels: label({ align: 'center' as const }, { x: { ...x, field: 'concurrency' }, y: at, text: { field: 'label' } }).map((layer) => ({ data, ...layer })),
    };
  }
  const sorted = [...targets].sort((p, q) => p.concurrency - q.concurrency);
  const half = 2 ** segmentHalfWidth(sorted.map((t) => t.concurrency));
  const data = {
    values: sorted.map((t) => ({ from: t.concurrency / half, to: t.concurrency * half, requestsPerSec: t.requestsPerSec, label: `-q ${String(t.requestsPerSec)}` })),
  };
  return {
    rules: [{ data, mark: rule, encoding: { x: { ...x, field: 'from' }, x2: { field: 'to' }, y: at } }],
    labels: label({ align: 'right' as const }, { x: { ...x, field: 'to' }, y: at, text: { field: 'label' } }).map((layer) => ({ data, ...layer })),
  };
}
