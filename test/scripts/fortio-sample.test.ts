/**
 * The fortio sample study (`network-tests/fortio-sample`, `scripts/fortio-sample/`): generated the
 * same way every time and committed as generated, every run fortio's REST JSON without
 * percentiles, and the report built from it computing them by fortio's rule and flagging the one
 * option that cannot keep up with 1,000 req/s. Needs `npm run build` (the report runs from `dist/`).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fortioCalcPercentile, type FortioHistogramData } from '../../scripts/formats/fortio.ts';
import { generateFortioSample } from '../../scripts/fortio-sample/generate.ts';
import { OPTIONS, RATES } from '../../scripts/fortio-sample/plan.ts';
import { ROOT, runCli } from '../helpers/run-cli.ts';
import { listFiles } from '../helpers/list-files.ts';

const run = promisify(execFile);
const committed = path.join(ROOT, 'network-tests', 'fortio-sample');
const scratch = mkdtempSync(path.join(tmpdir(), 'fortio-sample-'));
const tokyo = path.join(scratch, 'tokyo');
const reportOut = path.join(scratch, 'report', 'fortio-report.md');

/** The option that cannot keep up with 1,000 req/s with 16 connections. */
const SATURATING = 'kuma';


/** The run files of a study folder (its metric exports and `dataset.json` left out). */
function runFiles(dir: string): string[] {
  return listFiles(dir).filter((file) => /\/fortio-qps[^/]+\.json$/.test(file));
}

interface SidecarRun {
  id: string;
  environment: string;
  file: string;
  tool: string;
  rateTarget: { target: number; from: string } | null;
  figures: { percentiles: string; rule: string | null };
  percentiles: Record<string, number | null>;
  flags: Array<{ rule: string; severity: string }>;
}

let sidecar: { runs: SidecarRun[] } = { runs: [] };
let markdown = '';

before(async () => {
  await run(process.execPath, ['--import', 'tsx', 'scripts/generate-sample.ts', '--fortio-out', tokyo], {
    cwd: ROOT,
    env: { ...process.env, TZ: 'Asia/Tokyo', LANG: 'ja_JP.UTF-8', LC_ALL: 'ja_JP.UTF-8' },
  });
  const r = runCli(['--data', committed, '--out', reportOut, '--quiet']);
  assert.equal(r.status, 0, `the report of network-tests/fortio-sample does not build: ${r.stderr}`);
  markdown = readFileSync(reportOut, 'utf8');
  sidecar = JSON.parse(readFileSync(reportOut.replace(/\.md$/, '.json'), 'utf8')) as typeof sidecar;
});

after(() => rmSync(scratch, { recursive: true, force: true }));

test('two generations give the same files, byte for byte', () => {
  const first = generateFortioSample().files;
  const second = generateFortioSample().files;
  assert.deepEqual([...second.keys()], [...first.keys()]);
  for (const [file, text] of first) assert.equal(second.get(file), text, `\`${file}\` differs between two generations`);
});

test('the committed network-tests/fortio-sample is exactly what the generator writes, in any time zone (not edited by hand)', () => {
  assert.ok(existsSync(committed), 'network-tests/fortio-sample is missing: run `npm run generate-sample`');
  const files = listFiles(tokyo);
  assert.deepEqual(listFiles(committed), files, 'different file list: regenerate with `npm run generate-sample`');
  for (const file of files) {
    assert.ok(readFileSync(path.join(committed, file)).equals(readFileSync(path.join(tokyo, file))), `\`${file}\` is stale: regenerate with \`npm run generate-sample\``);
  }
});

test('every run is fortio REST JSON without percentiles, its histogram accounting for every call', () => {
  const files = runFiles(committed);
  assert.ok(files.length >= 25 && files.length <= 40, `${files.length} runs, expected 25 to 40`);
  for (const file of files) {
    const json = JSON.parse(readFileSync(path.join(committed, file), 'utf8'));
    const h = json.DurationHistogram as FortioHistogramData;
    assert.equal(h.Percentiles, null, `${file}: Percentiles is not null`);
    assert.equal(json.RunType, 'HTTP', file);
    assert.match(json.RequestedQPS, /^(\d+|max)$/, `${file}: RequestedQPS is fortio's string`);
    assert.equal(json.RequestedDuration, '1m0s', file);
    assert.ok(Number.isSafeInteger(json.ActualDuration) && json.ActualDuration > 60e9, `${file}: ActualDuration is whole nanoseconds over the minute`);
    assert.match(json.StartTime, /^2024-11-05T\d{2}:\d{2}:\d{2}(\.\d{1,9})?\+01:00$/, `${file}: StartTime`);
    assert.ok([16, 64].includes(json.NumThreads), file);
    assert.equal(h.Data.reduce((sum, b) => sum + b.Count, 0), h.Count, `${file}: buckets do not add up to Count`);
    const codes = Object.values(json.RetCodes as Record<string, number>).reduce((a, b) => a + b, 0);
    assert.equal(codes, h.Count, `${file}: RetCodes do not add up to Count`);
    assert.ok(Math.abs(json.ActualQPS - h.Count / (json.ActualDuration / 1e9)) < 1e-9 * json.ActualQPS, `${file}: ActualQPS is not calls over ActualDuration`);
  }
});

test('the metric exports are bare query_range results covering their option\'s run windows', () => {
  for (const option of OPTIONS) {
    const folder = path.join(committed, option.id, 'pod-to-pod');
    const windows = runFiles(committed)
      .filter((file) => file.startsWith(`${option.id}/`))
      .map((file) => {
        const json = JSON.parse(readFileSync(path.join(committed, file), 'utf8'));
        const start = Date.parse(json.StartTime) / 1000;
        return [start, start + json.ActualDuration / 1e9] as const;
      });
    const exports = readdirSync(path.join(folder, 'metrics')).sort();
    const expected = option.id === 'baseline' || option.id === 'cilium' ? ['app-cpu.json', 'app-memory.json'] : ['app-cpu.json', 'app-memory.json', 'sidecar-cpu.json', 'sidecar-memory.json'];
    assert.deepEqual(exports, expected, `${option.id}: metric files`);
    for (const name of exports) {
      const result = JSON.parse(readFileSync(path.join(folder, 'metrics', name), 'utf8'));
      assert.ok(Array.isArray(result) && result.length > 0, `${option.id}/${name}: not a bare list of series`);
      for (const series of result as Array<{ metric: Record<string, string>; values: Array<[number, string]> }>) {
        const times = series.values.map(([t]) => t);
        for (const [start, end] of windows) {
          assert.ok(times[0]! <= start && times.at(-1)! >= end, `${option.id}/${name}: does not cover a run's window`);
        }
        assert.ok(series.values.every(([, v]) => typeof v === 'string' && Number.isFinite(Number(v))), `${option.id}/${name}: values are not Prometheus strings`);
      }
    }
  }
});

test('the report computes each run\'s percentiles from its histogram by fortio\'s CalcPercentile', () => {
  assert.equal(sidecar.runs.length, runFiles(committed).length, 'every run file is a run of the report');
  for (const r of sidecar.runs) {
    assert.equal(r.tool, 'fortio');
    const h = JSON.parse(readFileSync(path.join(committed, r.file), 'utf8')).DurationHistogram as FortioHistogramData;
    assert.equal(r.percentiles['p99'], fortioCalcPercentile(h, 99), `${r.file}: p99`);
    assert.equal(r.percentiles['p50'], fortioCalcPercentile(h, 50), `${r.file}: p50`);
    assert.equal(r.percentiles['p99.9'], fortioCalcPercentile(h, 99.9), `${r.file}: p99.9`);
  }
});

test('only the saturating option is flagged saturated, at 1,000 req/s', () => {
  const at1000 = sidecar.runs.filter((r) => r.rateTarget?.target === 1000);
  assert.equal(at1000.length, OPTIONS.length, 'one run per option at 1,000 req/s');
  for (const r of at1000) {
    const saturated = r.flags.some((f) => f.rule === 'saturated');
    assert.equal(saturated, r.environment === SATURATING, `${r.file}: ${saturated ? 'flagged' : 'not flagged'} saturated`);
  }
  const elsewhere = sidecar.runs.filter((r) => r.rateTarget?.target !== 1000 && r.flags.some((f) => f.rule === 'saturated'));
  assert.deepEqual(elsewhere.map((r) => r.file), [], 'no run below 1,000 req/s or at max is saturated');
  assert.deepEqual(
    sidecar.runs.filter((r) => r.rateTarget !== null).map((r) => r.rateTarget!.target).filter((t, i, all) => all.indexOf(t) === i).sort((a, b) => a - b),
    [...RATES],
    'the fixed rates are read from RequestedQPS',
  );
});

test('the stray socket error is a note within the error budget, and the repeats agree: no run is excluded', () => {
  const excluded = sidecar.runs.filter((r) => r.flags.some((f) => f.severity === 'exclude'));
  assert.deepEqual(excluded.map((r) => r.file), []);
  const socket = sidecar.runs.filter((r) => r.flags.some((f) => f.rule === 'non-2xx'));
  assert.deepEqual(socket.map((r) => r.file), ['istio/pod-to-pod/fortio-qpsmax-c64.json']);
  const repeats = sidecar.runs.filter((r) => r.environment === 'linkerd' && r.rateTarget?.target === 500);
  assert.equal(repeats.length, 2, 'Linkerd ran 500 req/s twice');
  assert.ok(repeats.every((r) => !r.flags.some((f) => f.rule === 'inconsistent-repeats')));
});

test(
  'the report says its percentiles were computed from fortio\'s histogram by fortio\'s rule',
  () => {
    for (const r of sidecar.runs) assert.equal(r.figures.percentiles, 'histogram', `${r.file}: figures`);
    assert.match(markdown, /Where the figures come from: fortio JSON runs: percentiles computed from its histogram by fortio’s CalcPercentile: /);
  },
);
