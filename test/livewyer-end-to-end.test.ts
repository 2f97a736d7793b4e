/**
 * The real third-party captures in `../shared/samples` (read in place, never copied into the
 * project): described by the dataset configuration of `docs/reference/dataset.md`, the plain and the ANSI-coloured copies
 * give the same tables, and every figure in them is the raw file's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './helpers/run-cli.ts';

const SAMPLES = fileURLToPath(new URL('../../shared/samples/oha/livewyer-v2', import.meta.url));
const skip = existsSync(SAMPLES) ? false : `no real samples at ${SAMPLES}`;

/** The dataset configuration shown in the reference page of `dataset.json` for this layout. */
function documentedDatasetConfig(): string {
  const page = readFileSync(fileURLToPath(new URL('../docs/reference/dataset.md', import.meta.url)), 'utf8');
  const start = page.indexOf('```json\n{\n  "baseline"');
  assert.ok(start >= 0, 'docs/reference/dataset.md shows the LiveWyer dataset configuration');
  return page.slice(start + 8, page.indexOf('```', start + 8));
}

async function build(copy: string): Promise<{ md: string; json: { runs: Record<string, unknown>[] } }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-lw-'));
  await cp(path.join(SAMPLES, copy), path.join(dir, 'data'), { recursive: true });
  await writeFile(path.join(dir, 'data', 'dataset.json'), documentedDatasetConfig());
  await writeFile(path.join(dir, 'template.md'), '<!-- report:latency-tables -->\n');
  const r = runCli(['--data', 'data', '--template', 'template.md', '--out', 'r.md', '--quiet'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  return { md: await readFile(path.join(dir, 'r.md'), 'utf8'), json: JSON.parse(await readFile(path.join(dir, 'r.json'), 'utf8')) };
}

test('real captures: coloured and plain copies give identical tables whose figures are the raw ones', { skip, timeout: 240_000 }, async () => {
  const plain = await build('non-colorized');
  const coloured = await build('s3-bucket');
  assert.equal(coloured.md, plain.md);
  assert.ok(plain.json.runs.length >= 60, `expected the meshed and unmeshed runs, got ${plain.json.runs.length}`);
  // Every single-run row's Time, QPS and percentiles appear in its raw file as oha printed them.
  let checked = 0;
  for (const run of plain.json.runs) {
    const raw = readFileSync(path.join(SAMPLES, 'non-colorized', String(run.file)), 'utf8');
    const total = Number(run.total).toFixed(4);
    const rps = Number(run.requestsPerSec).toFixed(4);
    assert.ok(raw.includes(`Total:\t${total} secs`), `${run.file}: total ${total}`);
    assert.ok(raw.includes(`Requests/sec:\t${rps}`), `${run.file}: requests/sec ${rps}`);
    const p = run.percentiles as Record<string, number>;
    for (const [key, label] of [['p50', '50.00%'], ['p90', '90.00%'], ['p99', '99.00%'], ['p99.9', '99.90%']] as const) {
      assert.ok(raw.includes(`${label} in ${p[key]!.toFixed(4)} secs`), `${run.file}: ${key}`);
    }
    const row = new RegExp(`\\| +${rps} \\| +${p.p50!.toFixed(4)} \\| +${p.p90!.toFixed(4)} \\| +${p.p99!.toFixed(4)} \\| +${p['p99.9']!.toFixed(4)} \\|`);
    if (row.test(plain.md)) checked += 1;
  }
  assert.ok(checked >= 60, `rows found verbatim in the tables: ${checked}`);
});

test('real captures: a stray transport error is a note, clusters that differ without a mesh are compared by their own, nothing is compared against an excluded baseline, and this iteration cannot rank', { skip, timeout: 240_000 }, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-lw-'));
  await cp(path.join(SAMPLES, 'non-colorized'), path.join(dir, 'data'), { recursive: true });
  const config = JSON.parse(documentedDatasetConfig());
  // Each cluster also ran the apps without a mesh: A/A runs for the noise floor and the paired measure.
  config.aaScenarios = { 'pod-to-service-n100000': 'pod-unmeshed-n100000', 'pod-to-service-n3000000': 'pod-unmeshed-n3000000' };
  await writeFile(path.join(dir, 'data', 'dataset.json'), JSON.stringify(config));
  await writeFile(path.join(dir, 'template.md'), '<!-- report:latency-tables -->\n\n<!-- report:findings -->\n\n<!-- report:recommendations -->\n');
  const r = runCli(['--data', 'data', '--template', 'template.md', '--out', 'r.md', '--quiet'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const md = await readFile(path.join(dir, 'r.md'), 'utf8');
  type Flag = { rule: string; severity: string; evidence: Record<string, number> };
  const json = JSON.parse(await readFile(path.join(dir, 'r.json'), 'utf8')) as {
    runs: { id: string; environment: string; scenario: string; concurrency: number; errors: Record<string, number>; flags: Flag[] }[];
    comparisons: { scenario: string; concurrency: number; baselineExcluded: boolean; rows: { environment: string; delta: { requestsPerSec: number | null } }[] }[];
    noise: { scenario: string | null; concurrency: number | null; leftOut: string[]; evidence: string }[];
    paired: { differing: { environment: string; aaScenario: string }[] };
    recommendations: { requirement: string; environments: string[]; undecided: string | null; measures: { cannotRank: string | null }[] }[];
  };
  // Runs with one transport error in millions of requests stay in every comparison, with a note.
  const stray = json.runs.filter((run) => Object.values(run.errors).reduce((a, b) => a + b, 0) === 1);
  assert.ok(stray.length >= 2, `runs with one error: ${stray.length}`);
  for (const run of stray) assert.deepEqual(run.flags.filter((f) => f.rule === 'non-2xx').map((f) => f.severity), ['note'], run.id);
  // Cilium's cluster runs podinfo at half Baseline's throughput even without a mesh: its A/A runs are
  // not cluster noise, and it is compared by its change against its own cluster.
  assert.ok(json.paired.differing.some((d) => d.environment === 'cilium' && d.aaScenario === 'pod-unmeshed-n3000000'), JSON.stringify(json.paired.differing));
  for (const n of json.noise.filter((x) => x.scenario === 'pod-to-service-n3000000')) {
    assert.ok(n.leftOut.includes('cilium'), n.evidence);
  }
  assert.match(md, /Cilium’s cluster differs from Baseline’s without a mesh/);
  // The baseline's broken A/A run (a jumping tail) is excluded by its own levels and says nothing of its cluster.
  const broken = json.runs.find((run) => run.environment === 'baseline' && run.scenario === 'pod-unmeshed-n100000' && run.concurrency === 32)!;
  assert.ok(broken.flags.some((f) => f.rule === 'inconsistent-with-levels' && f.severity === 'exclude'));
  assert.ok(!json.runs.some((run) => run.flags.some((f) => f.rule === 'aa-outlier')), 'no A/A run is judged against a broken one');
  assert.doesNotMatch(md, /Baseline’s cluster differs/i, 'a broken A/A run says nothing of its cluster');
  // Where the baseline's only run is excluded, no change is given against it.
  const excluded = json.comparisons.filter((t) => t.baselineExcluded);
  assert.ok(excluded.length >= 1);
  for (const t of excluded) assert.ok(t.rows.every((row) => row.delta.requestsPerSec === null), `${t.scenario} c${t.concurrency}`);
  assert.match(md, /\| baseline excluded \| baseline excluded \|/);
  // This first iteration's meshes beat the no-mesh baseline in most cells (VM to podinfo 2-3 times
  // over): the matrix names no option and says why.
  const performance = json.recommendations.find((row) => row.requirement === 'Performance')!;
  assert.deepEqual(performance.environments, []);
  assert.match(performance.undecided ?? '', /cannot rank/);
  assert.ok(performance.measures.some((m) => m.cannotRank !== null));
  assert.match(md, /\| Performance +\| — +\|.*cannot rank, in \d+ of \d+ cells an option is faster than Baseline beyond the noise/);
});
