import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ParseError } from '../../../src/diagnostics.ts';
import { parseGrafanaCsv } from '../../../src/ingest/metrics/parse-grafana-csv.ts';
import type { MetricSeries } from '../../../src/model/metrics.ts';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/metrics/${name}`, import.meta.url), 'utf8');
const berlin = { timezone: 'Europe/Berlin' };
/** 2024-04-10T18:55:00Z, i.e. 20:55 in Berlin (CEST). */
const T0 = 1712775300;

const table = (series: MetricSeries[]): [string, [number, number][]][] =>
  series.map((s) => [s.name, s.samples.map((p): [number, number] => [p.t, p.v])]);

function assertParseError(content: string, message: RegExp, line: number, options: Parameters<typeof parseGrafanaCsv>[1] = berlin): void {
  assert.throws(
    () => parseGrafanaCsv(content, options),
    (e: unknown) => {
      assert.ok(e instanceof ParseError, String(e));
      assert.match(e.message, message);
      assert.equal(e.line, line);
      return true;
    },
  );
}

test('wide CSV with epoch milliseconds: one series per column, empty, NaN and null cells skipped', () => {
  assert.deepEqual(table(parseGrafanaCsv(fixture('grafana-wide-epoch.csv'), berlin)), [
    ['details-v1', [[T0, 0.1004], [T0 + 15, 0.1121], [T0 + 30, 0.0987]]],
    ['productpage-v1', [[T0, 0.95], [T0 + 30, 0.9512], [T0 + 45, 0.9498]]],
    ['reviews-v2', [[T0, 0.3011], [T0 + 15, 0.2987], [T0 + 45, 0.3102]]],
  ]);
});

test('wide CSV with BOM, `sep=;` and local times in the given zone, formatted CPU values in cores', () => {
  assert.deepEqual(table(parseGrafanaCsv(fixture('grafana-wide-local-one-unit.csv'), berlin)), [
    ['details-v1', [[T0, 0.101], [T0 + 15, 0.112]]],
    ['productpage-v1', [[T0, 0.95], [T0 + 15, 1.2], [T0 + 30, 0.125]]],
  ]);
});

test('the time zone decides what a local time means, not the machine', () => {
  const [utc] = parseGrafanaCsv(fixture('grafana-wide-local-one-unit.csv'), { timezone: 'UTC' });
  const [newYork] = parseGrafanaCsv(fixture('grafana-wide-local-one-unit.csv'), { timezone: 'America/New_York' });
  assert.equal(utc!.samples[0]!.t, T0 + 2 * 3600);
  assert.equal(newYork!.samples[0]!.t, T0 + 6 * 3600);
});

test('long `Series;Time;Value` CSV with `T` times without seconds, formatted memory values in bytes', () => {
  assert.deepEqual(table(parseGrafanaCsv(fixture('grafana-long.csv'), berlin)), [
    ['productpage-v1', [[T0, 1007 * 1024 ** 2], [T0 + 60, 1.2 * 1024 ** 3]]],
    ['details-v1', [[T0, 512 * 1024], [T0 + 60, 3_000_000]]],
    ['istio-init', [[T0, 12]]],
  ]);
});

test('long CSV separated by commas, rows out of order, explicit UTC offsets', () => {
  const csv = 'Series,Time,Value\nsidecar,2024-04-10T18:55:15Z,0.2\nsidecar,2024-04-10 20:55:00+02:00,0.1\n';
  assert.deepEqual(table(parseGrafanaCsv(csv, berlin)), [['sidecar', [[T0, 0.1], [T0 + 15, 0.2]]]]);
});

test('a value that is not a number names the line and the column', () => {
  assertParseError(fixture('grafana-broken-value.csv'), /^Cannot read line 4: expected a number, optionally with a unit .* for `productpage-v1`, got `lots`$/, 4);
});

test('a time that is neither epoch milliseconds nor a date-time names the line', () => {
  assertParseError(fixture('grafana-broken-time.csv'), /^Cannot read line 3: expected `Time` as epoch milliseconds or `YYYY-MM-DD HH:MM:SS`, got `10\/04\/2024 20:55`$/, 3);
  assertParseError('Time,a\n1712775300,0.1\n', /line 2: expected `Time` as epoch milliseconds/, 2);
  assertParseError('Time,a\n2024-02-30 10:00,0.1\n', /line 2: expected `Time`.*got `2024-02-30 10:00`/, 2);
});

test('a file without a Time column is rejected at its header line', () => {
  assertParseError(fixture('grafana-no-time.csv'), /^Cannot read line 1: expected a header with a `Time` column .*got `timestamp,productpage-v1`$/, 1);
  assertParseError('sep=;\nSeries;Value\na;1\n', /^Cannot read line 2: expected a header with a `Time` column/, 2);
  assertParseError('', /line 1: expected a header line with a `Time` column, got an empty file/, 1);
});

test('rows of the wrong width, an unclosed quote, or a repeated time are rejected with their line', () => {
  assertParseError('Time,a,b\n1712775300000,1,2\n1712775315000,1\n', /^Cannot read line 3: expected 3 fields like the header, got 2$/, 3);
  assertParseError('Time,a\n1712775300000,1\n1712775315000,"2\n', /^Cannot read line 3: expected CSV fields separated by `,`/, 3);
  assertParseError('Series;Time;Value\na;1712775300000;1\na;1712775300000;2\n', /^Cannot read line 3: expected one value per time for `a`, got a second one at 2024-04-10T18:55:00Z$/, 3);
  assertParseError('Series;Time;Value;Extra\na;1712775300000;1;x\n', /^Cannot read line 1: expected the columns `Series`, `Time`, `Value`/, 1);
});

test('with a unit given, a value of another kind is rejected', () => {
  assertParseError(fixture('grafana-long.csv'), /^Cannot read line 2: expected a value in cores for `productpage-v1`, got `1007 MiB`$/, 2, { ...berlin, unit: 'cores' });
  assertParseError('Time,a\n1712775300000,12.5%\n', /expected a value in bytes/, 2, { ...berlin, unit: 'bytes' });
  assert.equal(parseGrafanaCsv('Time,a\n1712775300000,95%\n', { ...berlin, unit: 'cores' })[0]!.samples[0]!.v, 0.95);
});

test('a header-only file has no series; a column without any value is left out', () => {
  assert.deepEqual(parseGrafanaCsv('"Time","a"\n', berlin), []);
  assert.deepEqual(table(parseGrafanaCsv('Time,a,b\n1712775300000,,1\n', berlin)), [['b', [[T0, 1]]]]);
});

test('repeated column names stay separate series', () => {
  const names = parseGrafanaCsv('Time,Value,Value\n1712775300000,1,2\n', berlin).map((s) => s.name);
  assert.deepEqual(names, ['Value', 'Value (2)']);
});

test('an unknown time zone is a configuration error, not a file error', () => {
  assert.throws(() => parseGrafanaCsv(fixture('grafana-wide-epoch.csv'), { timezone: 'Mars/Olympus' }), RangeError);
});

test('`undefined` cells (Grafana\'s outer join where a series has no sample) are missing values', () => {
  const csv = '"Time","old","new"\r\n1712775300000,0.5,undefined\r\n1712775315000,undefined,0.25';
  assert.deepEqual(table(parseGrafanaCsv(csv, berlin)), [['old', [[T0, 0.5]]], ['new', [[T0 + 15, 0.25]]]]);
});

test('a local time that occurs twice when summer time ends is placed by the row order of a wide file', () => {
  // Note: 2024-10-27 in London: 01:00 to 01:59 BST (00:00Z to 00:59Z), then the same again in GMT.
  const fallBack = Date.UTC(2024, 9, 27, 0, 0) / 1000;
  const csv = ['"Time","a"', '2024-10-27 00:30:00,1', '2024-10-27 01:30:00,2', '2024-10-27 01:00:00,3', '2024-10-27 01:30:00,4', '2024-10-27 02:00:00,5'].join('\n');
  assert.deepEqual(table(parseGrafanaCsv(csv, { timezone: 'Europe/London' })), [
    ['a', [[fallBack - 1800, 1], [fallBack + 1800, 2], [fallBack + 3600, 3], [fallBack + 5400, 4], [fallBack + 7200, 5]]],
  ]);
  // The first occurrence is taken when nothing before says otherwise, and an unambiguous time never moves.
  assert.deepEqual(table(parseGrafanaCsv('Time,a\n2024-10-27 01:30:00,1\n', { timezone: 'Europe/London' })), [['a', [[fallBack + 1800, 1]]]]);
  assertParseError('Time,a\n2024-04-10 20:55:00,1\n2024-04-10 20:55:00,2\n', /line 3: expected one value per time for `a`/, 3);
});

test('plain numbers are scaled to the export\'s unit; values with a unit say their own', () => {
  const csv = '"Time","a","b"\n1712775300000,950,1.2 cores\n';
  const series = parseGrafanaCsv(csv, { timezone: 'UTC', unit: 'cores', scale: 0.001 });
  assert.deepEqual(series.map((s) => s.samples[0]!.v), [0.95, 1.2]);
});

test('each column or `Series` value is a series labelled `series`, for `select`; a column left out is not read', async () => {
  const { parseSeriesSelector } = await import('../../../src/ingest/metrics/series-selector.ts');
  const { readGrafanaCsv } = await import('../../../src/ingest/metrics/parse-grafana-csv.ts');
  assert.deepEqual(parseGrafanaCsv('Time,Busy User,Idle\n1712775300000,0.1,0.9\n', berlin).map((s) => [s.name, s.labels]), [
    ['Busy User', { series: 'Busy User' }],
    ['Idle', { series: 'Idle' }],
  ]);
  // `Idle` holds a value no CPU export could: left out by the selector, it is never read.
  const wide = 'Time,Busy User,Idle,Empty\n1712775300000,0.1,-7 GiB,\n1712775315000,0.2,x,\n';
  const read = readGrafanaCsv(wide, { ...berlin, unit: 'cores', select: parseSeriesSelector('{series!="Idle"}') });
  assert.deepEqual(table(read.series), [['Busy User', [[T0, 0.1], [T0 + 15, 0.2]]]]);
  assert.deepEqual(read.names, ['Busy User', 'Idle', 'Empty'], 'every series of the file, with values or not');
  const long = 'Series;Time;Value\nIdle;1712775300000;oops\nBusy User;1712775300000;0.1\nIdle;1712775300000;oops\n';
  const longRead = readGrafanaCsv(long, { ...berlin, select: parseSeriesSelector('{series=~"Busy.*"}') });
  assert.deepEqual([table(longRead.series), longRead.names], [[['Busy User', [[T0, 0.1]]]], ['Idle', 'Busy User']]);
  assertParseError(wide, /^Cannot read line 2: expected a value in cores for `Idle`, got `-7 GiB`$/, 2, { ...berlin, unit: 'cores' });
});
