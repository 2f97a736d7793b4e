/**
 * `parseGrafanaCsv` on CSV written by Grafana's own code (@grafana/data, see
 * scripts/sample/grafana-export.ts), in every shape the panel inspector downloads.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../../src/diagnostics.ts';
import { parseGrafanaCsv } from '../../../src/ingest/metrics/parse-grafana-csv.ts';
import type { MetricSeries, MetricUnit } from '../../../src/model/metrics.ts';
import { buildPrometheusFrames, downloadCsv, type DownloadOptions, type PanelSeries } from '../../../scripts/sample/grafana-export.ts';

/** The dashboard's time zone: BST (UTC+1) on the test day. */
const DASHBOARD_ZONE = 'Europe/London';
/** 2024-04-10T18:55:00Z, 19:55 in London. */
const T0 = Date.UTC(2024, 3, 10, 18, 55);
const STEP = 15_000;
const ROWS = 12;

/** A pod of the panel's query and the rows (scrape steps) it has a sample at. */
interface Pod {
  legend?: string;
  labels: Record<string, string>;
  rows: number[];
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * productpage's pod is replaced during the window (the old one ends, the new one starts a step
 * later), so the joined table has empty cells; ratings' sidecar has no legend, so Grafana names
 * it by its labels (a name with quotes and a comma).
 */
const PODS: Pod[] = [
  { legend: 'productpage-v1-6b7f9c-abcde', labels: { pod: 'productpage-v1-6b7f9c-abcde' }, rows: range(0, 5) },
  { legend: 'productpage-v1-6b7f9c-fghij', labels: { pod: 'productpage-v1-6b7f9c-fghij' }, rows: range(7, 11) },
  { legend: 'details-v1', labels: { pod: 'details-v1-5c9d8f-xyz12' }, rows: range(0, 11) },
  { labels: { namespace: 'bookinfo', pod: 'ratings-v1-77dd4-k2l3m' }, rows: range(0, 11) },
];

/** CPU in cores of pod `p` at row `i`: many decimals, and tiny values for the idle sidecar. */
function cpuCores(p: number, i: number): number {
  if (p === 3) return [0.000012, 1.2e-7, 0.0004567, 0][i % 4]!;
  return 0.35 + 0.6 * (p + 1) * Math.abs(Math.sin(i * 1.7 + p)) + 1e-5 * i;
}

/** Working-set memory in bytes of pod `p` at row `i`. */
function memoryBytes(p: number, i: number): number {
  if (p === 3) return [524_288, 3_000_000, 26_214_400, 1500][i % 4]!;
  return Math.round(1_055_916_032 * (p + 1) + 7_340_032 * Math.sin(i + p));
}

/** A panel: its Grafana unit, what mesh-report reads it as, and how its values become SI. */
interface Panel {
  title: string;
  unit: string;
  parserUnit: MetricUnit;
  /** Factor from the panel's values to the parser's unit when Grafana printed the unit (Formatted data). */
  formattedToSi: number;
  value: (pod: number, row: number) => number | null;
}

/** details-v1 has a null (a failed scrape) at row 3 and NaN at row 8 in every panel. */
const withMissing = (value: (p: number, i: number) => number) => (p: number, i: number): number | null =>
  p === 2 && i === 3 ? null : p === 2 && i === 8 ? NaN : value(p, i);

const PANELS: Panel[] = [
  { title: 'memory, unit bytes', unit: 'bytes', parserUnit: 'bytes', formattedToSi: 1, value: withMissing(memoryBytes) },
  { title: 'memory, unit short', unit: 'short', parserUnit: 'bytes', formattedToSi: 1, value: withMissing(memoryBytes) },
  { title: 'CPU in cores, unit short', unit: 'short', parserUnit: 'cores', formattedToSi: 1, value: withMissing(cpuCores) },
  {
    title: 'CPU in millicores, unit suffix:mcores',
    unit: 'suffix:mcores',
    parserUnit: 'cores',
    formattedToSi: 1 / 1000,
    value: withMissing((p, i) => cpuCores(p, i) * 1000),
  },
  {
    // Note: CPU over the limit as a ratio; a pod whose limit is 0 gives +Inf.
    title: 'CPU, unit percentunit',
    unit: 'percentunit',
    parserUnit: 'cores',
    formattedToSi: 1,
    value: withMissing((p, i) => (p === 0 && i === 4 ? Infinity : cpuCores(p, i))),
  },
];

function panelSeries(panel: Panel, pods: Pod[] = PODS, time: (row: number) => number = (row) => T0 + row * STEP): PanelSeries[] {
  return pods.map((pod, p) => ({
    ...(pod.legend === undefined ? {} : { legend: pod.legend }),
    labels: pod.labels,
    unit: panel.unit,
    points: pod.rows.map((row): [number, number | null] => [time(row), panel.value(p, row)]),
  }));
}

/** The name Grafana shows for a series: its legend, else its labels. */
function displayName(series: PanelSeries): string {
  if (series.legend !== undefined) return series.legend;
  return `{${Object.entries(series.labels).map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
}

/** What went into a frame, as the parser should give it back: Unix seconds, value in SI units; no null or NaN. */
function expectedSamples(series: PanelSeries, factor: number): { t: number; v: number }[] {
  return series.points.filter(([, v]) => v !== null && !Number.isNaN(v)).map(([t, v]) => ({ t: t / 1000, v: v! * factor }));
}

/** Value cells of a downloaded CSV by row (the `sep=` and header lines skipped); no value cell is quoted. */
function valueRows(csv: string, delimiter: string): string[][] {
  const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
  const body = lines[0]!.startsWith('sep=') ? lines.slice(2) : lines.slice(1);
  return body.map((line) => line.split(delimiter));
}

/** Size of one unit of each suffix Grafana printed, in the parser's units (a test-side table). */
const PRINTED_UNIT: Record<string, number> = {
  '': 1,
  '%': 0.01,
  ' mcores': 0.001,
  ' B': 1,
  ' KiB': 1024,
  ' MiB': 1024 ** 2,
  ' GiB': 1024 ** 3,
  ' K': 1e3,
  ' Mil': 1e6,
  ' Bil': 1e9,
};

/**
 * Half a unit in the last place Grafana printed (`1007 MiB` → 0.5 MiB, `0.0000120` → 5e-8,
 * `1.2e-7` → 5e-9, `95.1%` → 0.0005): how far the printed text can be from the value.
 */
function printedResolution(cell: string): number {
  const m = /^([+-]?\d+)(?:\.(\d+))?(?:e([+-]?\d+))?( ?[A-Za-z%]*)$/.exec(cell);
  assert.ok(m, `unexpected formatted cell \`${cell}\``);
  const unit = PRINTED_UNIT[m[4]!];
  assert.ok(unit !== undefined, `no size for the printed unit \`${m[4]}\` in \`${cell}\``);
  const decimals = (m[2]?.length ?? 0) - Number(m[3] ?? 0);
  return 0.5 * 10 ** -decimals * unit;
}

/**
 * Asserts that `parsed` holds exactly the series that went in (names, times, gaps), with the
 * values equal (raw data) or within what Grafana's rounding of the printed cell allows.
 * `cellOf(series, point)` is the printed value cell of that point, for formatted data.
 */
function assertRoundTrip(
  parsed: MetricSeries[],
  series: PanelSeries[],
  options: { formatted: boolean; factor: number; cellOf: (series: number, point: number) => string },
  context: string,
): void {
  assert.deepEqual(parsed.map((s) => s.name), series.map(displayName), `${context}: series names`);
  series.forEach((s, si) => {
    const got = parsed[si]!.samples;
    const want = expectedSamples(s, options.factor);
    const where = `${context}, ${displayName(s)}`;
    assert.deepEqual(got.map((p) => p.t), want.map((p) => p.t), `${where}: times (gaps stay gaps)`);
    if (!options.formatted) {
      assert.deepEqual(got.map((p) => p.v), want.map((p) => p.v), `${where}: values`);
      return;
    }
    const printed = s.points.map((_, pi) => pi).filter((pi) => s.points[pi]![1] !== null && !Number.isNaN(s.points[pi]![1]));
    want.forEach((w, k) => {
      const cell = options.cellOf(si, printed[k]!);
      if (!Number.isFinite(w.v)) {
        assert.equal(got[k]!.v, w.v, `${where} at ${w.t}: \`${cell}\``);
        return;
      }
      const bound = printedResolution(cell) * (1 + 1e-9);
      assert.ok(Math.abs(got[k]!.v - w.v) <= bound, `${where} at ${w.t}: \`${cell}\` read as ${got[k]!.v}, frame had ${w.v}, allowed ±${bound}`);
    });
  });
}

/** Sorted times of all series: the rows of the joined table. */
function joinedTimes(series: PanelSeries[]): number[] {
  return [...new Set(series.flatMap((s) => s.points.map(([t]) => t)))].sort((a, b) => a - b);
}

/** Parses a joined download and checks it against the panel's series. */
function checkJoined(panel: Panel, download: DownloadOptions, series: PanelSeries[] = panelSeries(panel)): void {
  const files = downloadCsv(buildPrometheusFrames(series), { ...download, joinByTime: true, timeZone: DASHBOARD_ZONE });
  assert.equal(files.length, 1);
  const csv = files[0]!;
  const rows = valueRows(csv, download.delimiter ?? ',');
  const times = joinedTimes(series);
  assert.equal(rows.length, times.length, 'one row per distinct time');
  const parsed = parseGrafanaCsv(csv, { timezone: DASHBOARD_ZONE, unit: panel.parserUnit });
  const formatted = download.formatted ?? false;
  assertRoundTrip(
    parsed,
    series,
    {
      formatted,
      factor: formatted ? panel.formattedToSi : 1,
      cellOf: (si, pi) => rows[times.indexOf(series[si]!.points[pi]![0])]![si + 1]!,
    },
    `${panel.title}, joined ${JSON.stringify(download)}`,
  );
}

/** Parses the one-file-per-series downloads and checks each against its series. */
function checkPerSeries(panel: Panel, download: DownloadOptions): void {
  const series = panelSeries(panel);
  const files = downloadCsv(buildPrometheusFrames(series), { ...download, timeZone: DASHBOARD_ZONE });
  assert.equal(files.length, series.length, 'one file per series');
  files.forEach((csv, si) => {
    const rows = valueRows(csv, download.delimiter ?? ',');
    const parsed = parseGrafanaCsv(csv, { timezone: DASHBOARD_ZONE, unit: panel.parserUnit });
    const formatted = download.formatted ?? false;
    assertRoundTrip(
      parsed,
      [series[si]!],
      { formatted, factor: formatted ? panel.formattedToSi : 1, cellOf: (_, pi) => rows[pi]![1]! },
      `${panel.title}, file ${si + 1} ${JSON.stringify(download)}`,
    );
  });
}

test('what Grafana writes: quoted header, CRLF, no final newline, `undefined` in the gaps of a raw join', () => {
  const series = panelSeries(PANELS[0]!);
  const [raw] = downloadCsv(buildPrometheusFrames(series), { joinByTime: true });
  const lines = raw!.split('\r\n');
  assert.equal(lines[0], '"Time","productpage-v1-6b7f9c-abcde","productpage-v1-6b7f9c-fghij","details-v1","{namespace=""bookinfo"", pod=""ratings-v1-77dd4-k2l3m""}"');
  assert.equal(lines[1], `${T0},${memoryBytes(0, 0)},undefined,${memoryBytes(2, 0)},524288`);
  assert.equal(lines[4], `${T0 + 3 * STEP},${memoryBytes(0, 3)},undefined,,${memoryBytes(3, 3)}`, 'null is an empty cell');
  assert.equal(lines[9], `${T0 + 8 * STEP},undefined,${memoryBytes(1, 8)},NaN,${memoryBytes(3, 8)}`);
  assert.ok(!raw!.endsWith('\n'));

  const [formatted] = downloadCsv(buildPrometheusFrames(series), { joinByTime: true, formatted: true, timeZone: DASHBOARD_ZONE });
  assert.equal(formatted!.split('\r\n')[8], '2024-04-10 19:56:45,,1.97 GiB,2.95 GiB,1.46 KiB', 'units, London time, empty gaps');

  const [excel] = downloadCsv(buildPrometheusFrames(series), { joinByTime: true, excel: true });
  assert.ok(excel!.startsWith('\uFEFFsep=,\r\n"Time",'), 'BOM and `sep=` line');
});

test('"Series joined by time", raw data: exact values and epoch-ms times, gaps kept', () => {
  for (const panel of PANELS) checkJoined(panel, {});
});

test('"Series joined by time", formatted data: units and London times read back within Grafana\'s rounding', () => {
  for (const panel of PANELS) checkJoined(panel, { formatted: true });
});

test('one file per series (a single frame downloaded), raw and formatted', () => {
  for (const panel of PANELS) {
    checkPerSeries(panel, {});
    checkPerSeries(panel, { formatted: true });
  }
});

test('"Download for Excel": BOM and `sep=` line, with the default `,` and with `;` as delimiter', () => {
  for (const panel of PANELS) {
    checkJoined(panel, { excel: true });
    checkJoined(panel, { excel: true, delimiter: ';' });
    checkJoined(panel, { excel: true, delimiter: ';', formatted: true });
    checkPerSeries(panel, { excel: true, delimiter: ';', formatted: true });
  }
});

test('formatted data across the end of summer time: London times that occur twice land on the right instants', () => {
  // Note: on 2024-10-27 London's clocks go from 02:00 BST back to 01:00 GMT (at 01:00Z), so
  // Grafana prints 01:00:00 to 01:59:59 twice, without an offset.
  const start = Date.UTC(2024, 9, 26, 23, 40);
  const pods: Pod[] = [
    { legend: 'old', labels: {}, rows: range(0, 8) },
    { legend: 'new', labels: {}, rows: range(9, 14) },
  ];
  const panel = PANELS[0]!;
  const series = panelSeries(panel, pods, (row) => start + row * 10 * 60_000);
  checkJoined(panel, { formatted: true }, series);
  const [csv] = downloadCsv(buildPrometheusFrames(series), { joinByTime: true, formatted: true, timeZone: DASHBOARD_ZONE });
  assert.deepEqual(
    valueRows(csv!, ',').map((row) => row[0]!.slice(11, 16)),
    ['00:40', '00:50', '01:00', '01:10', '01:20', '01:30', '01:40', '01:50', '01:00', '01:10', '01:20', '01:30', '01:40', '01:50', '02:00'],
  );
});

test('a Grafana CSV with a corrupted value is rejected, naming the line and the series', () => {
  const series = panelSeries(PANELS[0]!);
  const frames = buildPrometheusFrames(series);
  const cases: { download: DownloadOptions; line: number; cell: number; text: string }[] = [
    { download: { joinByTime: true }, line: 5, cell: 1, text: '1O55916032' },
    { download: { joinByTime: true, formatted: true, timeZone: DASHBOARD_ZONE }, line: 9, cell: 2, text: '1.96 GB/s' },
    { download: { joinByTime: true, formatted: true, excel: true, delimiter: ';', timeZone: DASHBOARD_ZONE }, line: 10, cell: 3, text: '2,97 GiB' },
  ];
  for (const { download, line, cell, text } of cases) {
    const [csv] = downloadCsv(frames, download);
    const lines = csv!.split('\r\n');
    const delimiter = download.delimiter ?? ',';
    const cells = lines[line - 1]!.split(delimiter);
    cells[cell] = text;
    lines[line - 1] = cells.join(delimiter);
    const name = displayName(series[cell - 1]!);
    assert.throws(
      () => parseGrafanaCsv(lines.join('\r\n'), { timezone: DASHBOARD_ZONE, unit: 'bytes' }),
      (e: unknown) => {
        assert.ok(e instanceof ParseError, String(e));
        assert.equal(e.line, line);
        assert.equal(e.message.startsWith(`Cannot read line ${line}: expected `), true, e.message);
        assert.ok(e.message.includes(`for \`${name}\`, got \`${text}\``), e.message);
        return true;
      },
    );
  }
});
