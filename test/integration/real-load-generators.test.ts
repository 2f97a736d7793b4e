/**
 * The real wrk, hey and ab (Debian's `wrk`, `hey` and `apache2-utils`) run against a small local
 * HTTP server with a route that fails some requests; mesh-report must read from their output the
 * figures each printed, and build a report from it. The figures are read back here with plain
 * patterns on what the tool printed, independently of the adapters.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { parseRunOutput } from '../../src/ingest/tools/read-run-output.ts';
import type { IngestedSummary } from '../../src/model/types.ts';
import { runCli } from '../helpers/run-cli.ts';
import { startLoadServer, type LoadServer } from './load-server.ts';

const run = promisify(execFile);

/** Why a tool's tests are skipped: its binary is missing (CI installs it). */
function missing(bin: string, pkg: string): string | false {
  return existsSync(bin) ? false : `${bin} not found (install it with \`apt-get install -y ${pkg}\`)`;
}
const WRK = '/usr/bin/wrk';
const HEY = '/usr/bin/hey';
const AB = '/usr/bin/ab';
const skipWrk = missing(WRK, 'wrk');
const skipHey = missing(HEY, 'hey');
const skipAb = missing(AB, 'apache2-utils');
for (const reason of [skipWrk, skipHey, skipAb]) if (reason !== false) console.log(`# skipping a real load generator test: ${reason}`);

/** The number a pattern finds in a tool's output (group 1), or a failed assertion naming the pattern. */
function printed(output: string, pattern: RegExp): number {
  const match = pattern.exec(output);
  assert.ok(match, `expected ${pattern} in the tool's output:\n${output}`);
  return Number(match[1]);
}

/** Seconds in a wrk time (`1.23ms`, `456.00us`, `1.02s`). */
function wrkSeconds(value: string, unit: string): number {
  const scale: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  return Number(value) * scale[unit]!;
}

function one(content: string, file: string): IngestedSummary {
  const runs = parseRunOutput(Buffer.from(content), file);
  assert.equal(runs.length, 1, `one run in ${file}`);
  return runs[0]!;
}

function sum(record: Record<string, number>): number {
  return Object.values(record).reduce((a, b) => a + b, 0);
}

let server: LoadServer | undefined;
const dataDir = await mkdtemp(path.join(tmpdir(), 'mesh-report-real-tools-'));

test('real load generators against a local server', { timeout: 120_000 }, async (t) => {
  server = await startLoadServer();
  t.after(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  const url = server.url;

  await t.test('wrk --latency: requests, Requests/sec, non-2xx and percentiles as wrk printed them', { skip: skipWrk }, async () => {
    const { stdout } = await run(WRK, ['-t1', '-c4', '-d1s', '--latency', `${url}/flaky`]);
    const content = `$ wrk -t1 -c4 -d1s --latency ${url}/flaky\n${stdout}`;
    const r = one(content, 'direct/flaky/wrk-4.txt');
    assert.equal(r.source.format, 'wrk-text');
    assert.equal(r.summary.requestsPerSec, printed(stdout, /Requests\/sec:\s+([\d.]+)/));
    const requests = printed(stdout, /(\d+) requests in/);
    assert.equal(sum(r.summary.statusCodes) + sum(r.summary.errors), requests);
    assert.equal(r.summary.statusCodes['non-2xx/3xx'] ?? 0, printed(stdout, /Non-2xx or 3xx responses:\s+(\d+)/));
    const p50 = /Latency Distribution\s*\n\s+50%\s+([\d.]+)(us|ms|s)/.exec(stdout);
    assert.ok(p50);
    assert.ok(Math.abs(r.summary.percentiles.p50! - wrkSeconds(p50[1]!, p50[2]!)) < 1e-12);
    assert.equal(r.summary.percentiles.p95, null, 'wrk prints no p95: none is made up');
    assert.equal(r.command?.concurrency, 4);
    await mkdir(path.join(dataDir, 'direct', 'flaky'), { recursive: true });
    await writeFile(path.join(dataDir, 'direct', 'flaky', 'wrk-4.txt'), content);
    // Note: a second environment, for a table with a baseline: the same server again.
    const again = await run(WRK, ['-t1', '-c4', '-d1s', '--latency', `${url}/ok`]);
    await mkdir(path.join(dataDir, 'again', 'flaky'), { recursive: true });
    await writeFile(path.join(dataDir, 'again', 'flaky', 'wrk-4.txt'), again.stdout);
  });

  await t.test('hey: Requests/sec, status codes and percentiles as hey printed them; -q per worker', { skip: skipHey }, async () => {
    const { stdout } = await run(HEY, ['-n', '2000', '-c', '8', `${url}/flaky`]);
    const content = `me@box:~$ hey -n 2000 -c 8 ${url}/flaky\n\n${stdout}`;
    const r = one(content, 'direct/flaky/hey-8.txt');
    await mkdir(path.join(dataDir, 'direct', 'flaky'), { recursive: true });
    assert.equal(r.source.format, 'hey-text');
    assert.equal(r.summary.requestsPerSec, printed(stdout, /Requests\/sec:\s+([\d.]+)/));
    assert.equal(r.summary.statusCodes['200'], printed(stdout, /\[200\]\s+(\d+) responses/));
    assert.equal(r.summary.statusCodes['500'], printed(stdout, /\[500\]\s+(\d+) responses/));
    assert.equal(r.summary.percentiles.p50, printed(stdout, /50%+ in ([\d.]+) secs/));
    assert.equal(r.summary.percentiles.p99, printed(stdout, /99%+ in ([\d.]+) secs/));
    assert.equal(r.command?.concurrency, 8);
    assert.equal(r.command?.requests, 2000);
    await writeFile(path.join(dataDir, 'direct', 'flaky', 'hey-8.txt'), content);

    // hey's -q is per worker: 2 workers at 100 each ask for 200 requests/s from a route that
    // answers in 20 ms, so at most 100 requests/s: saturated.
    const slow = await run(HEY, ['-z', '2s', '-c', '2', '-q', '100', `${url}/slow`]);
    const slowContent = `$ hey -z 2s -c 2 -q 100 ${url}/slow\n${slow.stdout}`;
    const s = one(slowContent, 'direct/slow/hey-2.txt');
    assert.equal(s.command?.rate, 200);
    assert.ok(s.summary.requestsPerSec < 0.9 * 200, `${s.summary.requestsPerSec} req/s from a 20 ms route with 2 workers`);
    await mkdir(path.join(dataDir, 'direct', 'slow'), { recursive: true });
    await writeFile(path.join(dataDir, 'direct', 'slow', 'hey-2.txt'), slowContent);
  });

  await t.test('ab: Failed requests by length are not errors; Non-2xx responses are', { skip: skipAb }, async () => {
    const vary = await run(AB, ['-n', '2000', '-c', '8', `${url}/vary`]);
    const lengthFailures = printed(vary.stdout, /Length: (\d+)/);
    assert.ok(lengthFailures > 0, 'ab saw bodies of several lengths');
    const v = one(vary.stdout, 'direct/vary/ab-8.txt');
    assert.equal(v.source.format, 'ab-text');
    assert.equal(v.summary.requestsPerSec, printed(vary.stdout, /Requests per second:\s+([\d.]+)/));
    assert.equal(sum(v.summary.statusCodes), printed(vary.stdout, /Complete requests:\s+(\d+)/));
    assert.deepEqual(v.summary.errors, {}, 'length differences are not transport errors');
    assert.equal(v.summary.percentiles.p50, printed(vary.stdout, /\n\s+50%\s+(\d+)/) / 1000);
    assert.equal(v.summary.percentiles.p99, printed(vary.stdout, /\n\s+99%\s+(\d+)/) / 1000);

    const flaky = await run(AB, ['-n', '2000', '-c', '8', `${url}/flaky`]);
    const f = one(flaky.stdout, 'direct/flaky/ab-8.txt');
    const non2xx = printed(flaky.stdout, /Non-2xx responses:\s+(\d+)/);
    const failing = Object.entries(f.summary.statusCodes).filter(([code]) => !code.startsWith('2')).reduce((a, [, n]) => a + n, 0);
    assert.equal(failing, non2xx);
    assert.equal(f.command?.concurrency, 8);
    await mkdir(path.join(dataDir, 'direct', 'vary'), { recursive: true });
    await mkdir(path.join(dataDir, 'direct', 'flaky'), { recursive: true });
    await writeFile(path.join(dataDir, 'direct', 'vary', 'ab-8.txt'), vary.stdout);
    await writeFile(path.join(dataDir, 'direct', 'flaky', 'ab-8.txt'), flaky.stdout);
  });

  await t.test('a report built from the real outputs: each tool in its own table, errors and saturation flagged', { skip: skipWrk || skipHey || skipAb }, async () => {
    await writeFile(
      path.join(dataDir, 'dataset.json'),
      JSON.stringify({ title: 'Real tools', baseline: 'again', layout: [{ pattern: '{environment}/{scenario}/{tool}-{concurrency}.txt' }] }),
    );
    const out = path.join(dataDir, 'out', 'report.md');
    const r = runCli(['--data', dataDir, '--out', out, '--quiet']);
    assert.equal(r.status, 0, r.stderr);
    const report = await readFile(out, 'utf8');
    const sidecar = JSON.parse(await readFile(out.replace(/\.md$/, '.json'), 'utf8')) as { runs: Array<{ id: string; tool: string; requestsPerSec: number; flags: Array<{ rule: string }> }>; comparisons: Array<{ load: string }> };
    const tools = new Set(sidecar.runs.map((x) => x.tool));
    assert.deepEqual([...tools].sort(), ['ab', 'hey', 'wrk']);
    // Each tool's runs in their own table.
    assert.ok(sidecar.comparisons.some((c) => c.load.startsWith('wrk')));
    assert.ok(sidecar.comparisons.some((c) => c.load.startsWith('hey')));
    // The flaky route fails 1 in 20 requests: above the 0.1 % error budget.
    const flakyHey = sidecar.runs.find((x) => x.id.startsWith('direct/flaky/c8/') && x.tool === 'hey')!;
    assert.ok(flakyHey.flags.some((f) => f.rule === 'non-2xx'));
    const slow = sidecar.runs.find((x) => x.id.startsWith('direct/slow/'))!;
    assert.ok(slow.flags.some((f) => f.rule === 'saturated'), 'hey at 2 × 100 requests/s against a 20 ms route is saturated');
    const abVary = sidecar.runs.find((x) => x.id.startsWith('direct/vary/'))!;
    assert.ok(!abVary.flags.some((f) => f.rule === 'non-2xx'), "ab's length failures are not errors");
    assert.match(report, /Where the figures come from: /);
  });
});
