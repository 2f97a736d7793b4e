/**
 * Writes k6's output from a run description, the way k6 prints it, for fixtures: the end-of-test
 * summary in text (legacy layout of v0.2x–v0.5x, with or without `http_req_failed`, and v1.x's
 * `█ TOTAL RESULTS` layout), `--summary-export` JSON and `handleSummary()` data. Written from the
 * documented shape (k6's summary script: times truncated to two decimals without trailing zeros,
 * bytes in decimal units, rates with six decimals). Pure: strings out.
 */

/** A k6 run to write. Times in milliseconds, as k6 keeps them. */
export interface K6RunDescription {
  /** Script name on the banner (default: `script.js`). */
  script?: string;
  /** Max VUs (the scenarios line, `vus_max`). */
  vus: number;
  /** The scenario's duration in seconds (`for 1m0s`). */
  durationSeconds: number;
  /** `constant-vus` (default) or `constant-arrival-rate` at `rate` iterations/s with up to `vus` VUs. */
  executor?: 'constant-vus' | 'constant-arrival-rate';
  rate?: number;
  /** The whole run's time (graceful stop included), seconds: the `running (…)` line and every rate. */
  elapsedSeconds: number;
  /** HTTP requests made (`http_reqs`). */
  requests: number;
  /** Requests `http_req_failed` counted (unexpected status or no response). */
  failed: number;
  /** Iterations (default: one per request). */
  iterations?: number;
  /** `http_req_duration` stats in ms by k6's name, in k6's order: `avg`, `min`, `med`, `max`, `p(90)`, `p(95)`, and any others asked for (`p(99)`). */
  latencyMs: Record<string, number>;
  /** Bytes received and sent. */
  dataReceived: number;
  dataSent: number;
}

/** Default `summaryTrendStats`. */
const DEFAULT_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];

// ---------------------------------------------------------------- values as k6 prints them

function truncFixed(value: number, digits: number): string {
  const mult = 10 ** digits;
  return String(Number((Math.trunc(value * mult + 1e-9) / mult).toFixed(digits)));
}

/** k6's `humanizeDuration` of milliseconds: `456.78µs`, `1.01ms`, `1.2s`, `1m2s`, `1h2m3s`. */
export function humanizeDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 0.001) return `${Math.trunc(ms * 1e6)}ns`;
  if (ms < 1) return `${truncFixed(ms * 1000, 2)}µs`;
  if (ms < 1000) return `${truncFixed(ms, 2)}ms`;
  let result = `${truncFixed((ms % 60000) / 1000, ms > 60000 ? 0 : 2)}s`;
  let rest = Math.trunc(ms / 60000);
  if (rest < 1) return result;
  result = `${rest % 60}m${result}`;
  rest = Math.trunc(rest / 60);
  return rest < 1 ? result : `${rest}h${result}`;
}

/** k6's `humanizeBytes`: decimal units, one decimal under 10. */
export function humanizeBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  if (bytes < 10) return `${bytes} B`;
  const e = Math.floor(Math.log(bytes) / Math.log(1000));
  const value = Math.floor((bytes / 1000 ** e) * 10 + 0.5) / 10;
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[e]}`;
}

/** A Go duration of whole seconds: `30s`, `1m0s`, `1h2m3s`. */
export function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** The progress line's fixed-length time: `0m30.0s`, `1m00.5s`, `1h02m03.4s`. */
export function progressDuration(seconds: number): string {
  const tenths = Math.round(seconds * 10);
  const h = Math.floor(tenths / 36000);
  const m = Math.floor((tenths % 36000) / 600);
  const s = ((tenths % 600) / 10).toFixed(1).padStart(4, '0');
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m${s}s` : `${m}m${s}s`;
}

function perSec(count: number, run: K6RunDescription): string {
  return `${(count / run.elapsedSeconds).toFixed(6)}/s`;
}

function statsOf(run: K6RunDescription): string[] {
  return Object.keys(run.latencyMs).length > 0 ? Object.keys(run.latencyMs) : DEFAULT_STATS;
}

// ---------------------------------------------------------------- text

/** One metric row: a name, and either trend stats or plain columns. */
type Row = { name: string; indent: number; trend: Array<[string, string]> } | { name: string; indent: number; columns: string[] };

function iterationStats(run: K6RunDescription): Record<string, number> {
  const perIteration = (run.elapsedSeconds * 1000 * run.vus) / Math.max(1, run.iterations ?? run.requests);
  return Object.fromEntries(statsOf(run).map((stat) => [stat, (run.latencyMs[stat] ?? 0) + perIteration - (run.latencyMs.avg ?? 0)]));
}

function trend(stats: Record<string, number>): Array<[string, string]> {
  return Object.entries(stats).map(([stat, ms]) => [stat, humanizeDuration(ms)]);
}

/** Rows with dot leaders to one width (the longest name plus three dots), trend columns padded to their widest value. */
function formatRows(rows: Row[], baseIndent: number, nameWidth?: number): string[] {
  const width = nameWidth ?? Math.max(...rows.map((r) => r.indent + r.name.length)) + 3;
  const trendWidths = new Map<number, number>();
  const columnWidths = new Map<number, number>();
  for (const row of rows) {
    if ('trend' in row) row.trend.forEach(([, v], i) => trendWidths.set(i, Math.max(trendWidths.get(i) ?? 0, v.length)));
    else row.columns.forEach((c, i) => columnWidths.set(i, Math.max(columnWidths.get(i) ?? 0, c.length)));
  }
  return rows.map((row) => {
    const name = `${' '.repeat(baseIndent + row.indent)}${row.name}${'.'.repeat(width - row.indent - row.name.length)}: `;
    const cells =
      'trend' in row
        ? row.trend.map(([stat, v], i) => `${stat}=${v.padEnd(trendWidths.get(i) ?? 0)}`)
        : row.columns.map((c, i) => (i === row.columns.length - 1 ? c : c.padEnd(columnWidths.get(i) ?? 0)));
    return `${name}${cells.join(' ')}`;
  });
}

/** Options of the text writers. */
export interface K6TextOptions {
  /** Whether `http_req_failed` is printed (k6 v0.31 on; default: true). */
  httpReqFailed?: boolean;
  /** Whether to print the old (before v0.27) header: `duration: …, iterations: -` and `vus: N, max: N` (default: false). */
  oldHeader?: boolean;
  /** Cut every line at this many characters, as a narrow terminal does (default: no cut). */
  width?: number;
  /** Whether to start with the banner (logo, `execution: local`; default: true). */
  banner?: boolean;
}

const LOGO = [
  '          /\\      |‾‾| /‾‾/   /‾‾/   ',
  '     /\\  /  \\     |  |/  /   /  /    ',
  '    /  \\/    \\    |     (   /   ‾‾\\  ',
  '   /          \\   |  |\\  \\ |  (‾)  | ',
  '  / __________ \\  |__| \\__\\ \\_____/ .io',
];

function scenarioLines(run: K6RunDescription): string[] {
  const duration = goDuration(run.durationSeconds);
  const description =
    run.executor === 'constant-arrival-rate'
      ? `${(run.rate ?? 0).toFixed(2)} iterations/s for ${duration} (maxVUs: ${run.vus}, gracefulStop: 30s)`
      : `${run.vus} looping VUs for ${duration} (gracefulStop: 30s)`;
  return [
    `  scenarios: (100.00%) 1 scenario, ${run.vus} max VUs, ${goDuration(run.durationSeconds + 30)} max duration (incl. graceful stop):`,
    `           * default: ${description}`,
  ];
}

function bannerLines(run: K6RunDescription, old: boolean): string[] {
  const script = run.script ?? 'script.js';
  const execution = old ? ['  execution: local', '     output: -', `     script: ${script}`] : ['  execution: local', `     script: ${script}`, '     output: -'];
  return ['', ...LOGO, '', ...execution, ''];
}

function progress(run: K6RunDescription): string {
  const iterations = run.iterations ?? run.requests;
  return `running (${progressDuration(run.elapsedSeconds)}), 00/${String(run.vus).padStart(2, '0')} VUs, ${iterations} complete and 0 interrupted iterations`;
}

function cut(lines: string[], width: number | undefined): string {
  return lines.map((line) => (width === undefined ? line : line.slice(0, width))).join('\n') + '\n';
}

/**
 * k6's legacy end-of-test output (v0.2x–v0.5x): banner, scenarios (or the old header), progress,
 * then the metrics in alphabetical order with dot leaders.
 */
export function writeLegacyText(run: K6RunDescription, options: K6TextOptions = {}): string {
  const iterations = run.iterations ?? run.requests;
  const old = options.oldHeader === true;
  const lines: string[] = options.banner === false ? [] : bannerLines(run, old);
  if (old) {
    lines.push(`    duration: ${goDuration(run.durationSeconds)}, iterations: -`, `         vus: ${run.vus},  max: ${run.vus}`, '');
    lines.push(`    done [${'='.repeat(58)}] ${goDuration(run.durationSeconds)} / ${goDuration(run.durationSeconds)}`, '');
  } else {
    lines.push(...scenarioLines(run), '', '', progress(run), `default ✓ [${'='.repeat(38)}] ${run.vus} VUs  ${goDuration(run.durationSeconds)}`, '');
  }
  const ok = run.requests - run.failed;
  const rows: Row[] = [
    { name: 'data_received', indent: 0, columns: [humanizeBytes(run.dataReceived), `${humanizeBytes(run.dataReceived / run.elapsedSeconds)}/s`] },
    { name: 'data_sent', indent: 0, columns: [humanizeBytes(run.dataSent), `${humanizeBytes(run.dataSent / run.elapsedSeconds)}/s`] },
    { name: 'http_req_duration', indent: 0, trend: trend(run.latencyMs) },
  ];
  if (options.httpReqFailed !== false) {
    rows.push({ name: '{ expected_response:true }', indent: 2, trend: trend(run.latencyMs) });
    rows.push({ name: 'http_req_failed', indent: 0, columns: [`${((run.failed / run.requests) * 100).toFixed(2)}%`, `✓ ${String(run.failed).padEnd(10)}`, `✗ ${ok}`] });
  }
  rows.push(
    { name: 'http_reqs', indent: 0, columns: [String(run.requests), perSec(run.requests, run)] },
    { name: 'iteration_duration', indent: 0, trend: trend(iterationStats(run)) },
    { name: 'iterations', indent: 0, columns: [String(iterations), perSec(iterations, run)] },
    { name: 'vus', indent: 0, columns: [String(run.vus), `min=${run.vus}`, `max=${run.vus}`] },
    { name: 'vus_max', indent: 0, columns: [String(run.vus), `min=${run.vus}`, `max=${run.vus}`] },
  );
  lines.push(...formatRows(rows, old ? 4 : 5), '');
  return cut(lines, options.width);
}

/** k6 v1.x's end-of-test output: banner, scenarios, `█ TOTAL RESULTS` with HTTP / EXECUTION / NETWORK sections, then the last progress line. */
export function writeV1Text(run: K6RunDescription, options: K6TextOptions = {}): string {
  const iterations = run.iterations ?? run.requests;
  const lines: string[] = options.banner === false ? [] : bannerLines(run, false);
  lines.push(...scenarioLines(run), '', '');
  const p95 = run.latencyMs['p(95)'];
  if (p95 !== undefined) {
    lines.push('  █ THRESHOLDS ', '', '    http_req_duration', `    ✓ 'p(95)<${Math.max(500, Math.ceil(p95 * 2))}' p(95)=${humanizeDuration(p95)}`, '', '');
  }
  lines.push('  █ TOTAL RESULTS ', '');
  // Note: v1.x pads every section's names to one width, the longest name's.
  const width = 'iteration_duration'.length + 3 + 9;
  const section = (title: string, rows: Row[]) => {
    lines.push(`    ${title}`, ...formatRows(rows, 4, width), '');
  };
  section('HTTP', [
    { name: 'http_req_duration', indent: 0, trend: trend(run.latencyMs) },
    { name: '{ expected_response:true }', indent: 2, trend: trend(run.latencyMs) },
    { name: 'http_req_failed', indent: 0, columns: [`${((run.failed / run.requests) * 100).toFixed(2)}%`, `${run.failed} out of ${run.requests}`] },
    { name: 'http_reqs', indent: 0, columns: [String(run.requests), perSec(run.requests, run)] },
  ]);
  section('EXECUTION', [
    { name: 'iteration_duration', indent: 0, trend: trend(iterationStats(run)) },
    { name: 'iterations', indent: 0, columns: [String(iterations), perSec(iterations, run)] },
    { name: 'vus', indent: 0, columns: [String(run.vus), `min=${run.vus}`, `max=${run.vus}`] },
    { name: 'vus_max', indent: 0, columns: [String(run.vus), `min=${run.vus}`, `max=${run.vus}`] },
  ]);
  section('NETWORK', [
    { name: 'data_received', indent: 0, columns: [humanizeBytes(run.dataReceived), `${humanizeBytes(run.dataReceived / run.elapsedSeconds)}/s`] },
    { name: 'data_sent', indent: 0, columns: [humanizeBytes(run.dataSent), `${humanizeBytes(run.dataSent / run.elapsedSeconds)}/s`] },
  ]);
  lines.push('', '', '', progress(run), `default ✓ [${'='.repeat(38)}] ${run.vus} VUs  ${goDuration(run.durationSeconds)}`);
  return cut(lines, options.width);
}

// ---------------------------------------------------------------- JSON

function metricsOf(run: K6RunDescription): Record<string, { type: string; contains: string; values: Record<string, number> }> {
  const iterations = run.iterations ?? run.requests;
  const rate = (count: number) => count / run.elapsedSeconds;
  const gauge = { value: run.vus, min: run.vus, max: run.vus };
  return {
    data_received: { type: 'counter', contains: 'data', values: { count: run.dataReceived, rate: rate(run.dataReceived) } },
    data_sent: { type: 'counter', contains: 'data', values: { count: run.dataSent, rate: rate(run.dataSent) } },
    http_req_duration: { type: 'trend', contains: 'time', values: { ...run.latencyMs } },
    'http_req_duration{expected_response:true}': { type: 'trend', contains: 'time', values: { ...run.latencyMs } },
    http_req_failed: { type: 'rate', contains: 'default', values: { rate: run.failed / run.requests, passes: run.failed, fails: run.requests - run.failed } },
    http_reqs: { type: 'counter', contains: 'default', values: { count: run.requests, rate: rate(run.requests) } },
    iteration_duration: { type: 'trend', contains: 'time', values: iterationStats(run) },
    iterations: { type: 'counter', contains: 'default', values: { count: iterations, rate: rate(iterations) } },
    vus: { type: 'gauge', contains: 'default', values: gauge },
    vus_max: { type: 'gauge', contains: 'default', values: gauge },
  };
}

/**
 * `k6 run --summary-export=FILE`: `{root_group, metrics}`, each metric's stats right under it
 * (rates as `{passes, fails, value}`: for `http_req_failed` the passes are the failed requests).
 */
export function writeSummaryExport(run: K6RunDescription, options: { thresholds?: boolean } = {}): string {
  const metrics: Record<string, Record<string, unknown>> = {};
  for (const [name, metric] of Object.entries(metricsOf(run))) {
    const { rate, ...rest } = metric.values;
    metrics[name] = metric.type === 'rate' ? { passes: rest.passes, fails: rest.fails, value: rate } : { ...metric.values };
  }
  if (options.thresholds === true && metrics.http_req_duration !== undefined) {
    // Note: in this format `false` means the threshold passed.
    metrics.http_req_duration.thresholds = { 'p(95)<100000': false };
  }
  const root = { root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: [], checks: [] }, metrics };
  return `${JSON.stringify(root, null, 4)}\n`;
}

/** The data `handleSummary()` gets, as `JSON.stringify(data, null, 2)` writes it. */
export function writeHandleSummary(run: K6RunDescription): string {
  const data = {
    root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: [], checks: [] },
    options: { summaryTrendStats: statsOf(run), summaryTimeUnit: '', noColor: false },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: run.elapsedSeconds * 1000 },
    metrics: Object.fromEntries(
      Object.entries(metricsOf(run)).map(([name, metric]) => [
        name,
        name === 'http_req_duration' ? { ...metric, thresholds: { 'p(95)<100000': { ok: true } } } : metric,
      ]),
    ),
  };
  return `${JSON.stringify(data, null, 2)}\n`;
}
