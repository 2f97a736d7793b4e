import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wrk2TextAdapter, wrkTextAdapter } from '../../../src/ingest/wrk/index.ts';
import { wrk2Text } from '../../../scripts/formats/wrk.ts';
import { wrk2Run } from './runs.ts';

const read = (text: string) => wrk2TextAdapter.readText(text, 'runs/wrk2.txt');

test('a wrk2 report with --latency: HdrHistogram percentiles up to 99.99 %, corrected for coordinated omission', () => {
  const text = wrk2Text(wrk2Run(), { latency: true, command: true });
  const [run, ...rest] = read(text);
  assert.equal(rest.length, 0);
  const { summary, source, command, figures } = run!.summary;
  assert.equal(source.format, 'wrk2-text');
  assert.equal(source.line, 2);
  assert.equal(summary.total, 30);
  assert.equal(summary.requestsPerSec, 2000.6);
  assert.equal(summary.average, 1.03e-3);
  assert.equal(summary.slowest, 4.29e-3);
  assert.equal(summary.percentiles.p50, 1e-3);
  assert.equal(summary.percentiles.p99, 2.13e-3);
  assert.equal(summary.percentiles['p99.9'], 2.85e-3);
  assert.equal(summary.percentiles['p99.99'], 3.9e-3);
  assert.deepEqual(Object.keys(summary.percentiles).filter((k) => summary.percentiles[k as 'p50'] !== null), ['p50', 'p75', 'p90', 'p99', 'p99.9', 'p99.99']);
  assert.equal(summary.totalData, 19.48 * 1024 ** 2);
  assert.deepEqual(summary.statusCodes, { '2xx/3xx': 60018 });
  assert.equal(figures?.coordinatedOmissionCorrected, true);
  assert.equal(figures?.percentiles, 'printed');
  assert.match(figures?.rule ?? "", /calibration \(about the first 10 s\), so it counts fewer requests than the run made/);
  assert.equal(command?.tool, 'wrk2');
  assert.equal(command?.rate, 2000);
  assert.equal(command?.latencyCorrection, true);
  assert.equal(command?.concurrency, 100);
  assert.equal(run!.endLine, text.trimEnd().split('\n').length);
});

test('the spectrum gives the histogram: counts added between its rows, values in milliseconds', () => {
  const { histogram } = read(wrk2Text(wrk2Run(), { latency: true }))[0]!.summary.summary;
  assert.deepEqual(histogram, [
    { upper: 0.076e-3, count: 1 },
    { upper: 0.339e-3, count: 4005 },
    { upper: 1e-3, count: 16004 },
    { upper: 1.38e-3, count: 9992 },
    { upper: 1.72e-3, count: 5999 },
    { upper: 2.13e-3, count: 3624 },
    { upper: 4.287e-3, count: 375 },
  ]);
});

test('wrk2 without --latency is told apart by its calibration lines', () => {
  const text = wrk2Text(wrk2Run());
  const [run] = read(text);
  assert.equal(run!.summary.source.format, 'wrk2-text');
  assert.equal(run!.summary.summary.percentiles.p50, null);
  assert.equal(run!.summary.command?.from, 'output');
  assert.equal(run!.summary.command?.rate, null, 'wrk2 does not print its rate');
  assert.equal(run!.summary.command?.latencyCorrection, true);
  assert.deepEqual(wrkTextAdapter.readText(text, 'x.txt'), []);
});

test('a -R on a `wrk` command line makes a report without calibration lines wrk2\'s', () => {
  const body = wrk2Text(wrk2Run({ calibration: [] }));
  const text = `$ ./wrk -t2 -c100 -d30s -R2k http://127.0.0.1:80/index.html\n${body}`;
  assert.deepEqual(wrkTextAdapter.readText(text, 'x.txt'), []);
  const command = read(text)[0]!.summary.command!;
  assert.equal(command.rate, 2000);
  assert.equal(command.tool, 'wrk2');
});

test('the -U section (uncorrected latency) is read past, not kept', () => {
  const text = wrk2Text(wrk2Run(), { latency: true, uncorrected: true });
  assert.match(text, /Uncorrected Latency/);
  const { summary } = read(text)[0]!.summary;
  assert.equal(summary.percentiles.p50, 1e-3);
  assert.equal(summary.percentiles['p99.99'], 3.9e-3);
  assert.equal(summary.histogram.length, 7);
});

test('percentiles within HdrHistogram\'s precision of Max pass the checks; beyond it they do not', () => {
  const run = wrk2Run();
  const close = wrk2Run({ latency: { ...run.latency, max: 3.9e-3 }, recorded: { ...run.recorded, distribution: [[99.99, 3.903e-3]] } });
  assert.equal(read(wrk2Text(close, { latency: true }))[0]!.summary.summary.percentiles['p99.99'], 3.9e-3);
  const far = wrk2Run({ latency: { ...run.latency, max: 3.0e-3 } });
  assert.throws(() => read(wrk2Text(far, { latency: true })), /Cannot use `99\.990% 3\.90ms` on line \d+: expected a percentile/);
});
