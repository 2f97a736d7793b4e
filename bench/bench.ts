/**
 * `npm run bench`: how long mesh-report takes, measured in one run and shown as multiples of a bare
 * `node -e 0` started in the same run, so that figures from machines of different speeds (or from
 * one machine under different loads) compare:
 *
 * 1. the committed sample: an unchanged rebuild (with the parse cache of the build before, and
 *    without), `--check`, and a cold build into an empty `docs/` with an empty parse cache, which
 *    must reproduce the committed docs byte for byte (on a copy, in a temporary folder);
 * 2. `report:diff` between the sample's data and a copy with one changed figure (sidecars only);
 * 3. a synthetic study of 2,400 runs, tables only (`make-study.ts`);
 * 4. per-request CSVs of 1 M and 10 M rows, beside DuckDB computing the same exact percentiles
 *    (`per-request.ts`).
 *
 * Commands run as `npm run report` runs them: `node dist/cli.js` (built first when stale). Each is
 * run `--repeat` times and the fastest run counts, the one least disturbed by other load. Every
 * command has a parse cache of its own in a temporary folder (`MESH_REPORT_CACHE`), empty unless
 * a row says otherwise: the diff, the study and the cold build parse every file, as on a fresh clone.
 *
 * Usage: `npm run bench -- [--repeat 3] [--rows 1000000,10000000] [--study-runs 2400] [--csv-dir DIR] [--skip sample,diff,study,csv]`
 */

import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { staleBuild } from '../scripts/build.ts';
import { writeSyntheticStudy } from './make-study.ts';
import { best, formatTable, say, timeCommand, type Measurement } from './measure.ts';
import { benchPerRequest } from './per-request.ts';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const CLI = join(ROOT, 'dist', 'cli.js');
const DIFF_CLI = join(ROOT, 'dist', 'diff', 'cli-diff.js');

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/**
 * The committed sample, on a copy: an unchanged rebuild, `--check`, and a build with no outputs on
 * disk (every chart drawn), checked byte for byte against the committed docs.
 */
function benchSample(repeat: number): Measurement[] {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-report-bench-sample-'));
  const cache = join(dir, 'parse-cache');
  const env = { ...process.env, MESH_REPORT_CACHE: cache };
  try {
    for (const part of ['templates', 'network-tests/sample', 'docs']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
    // Note: the oha sample's report alone (the first of the configuration), so the figures compare
    // with earlier runs; the other reports' committed outputs are left out of the comparison.
    const config = JSON.parse(readFileSync(join(ROOT, 'mesh-report.config.json'), 'utf8')) as { reports: Array<{ out: string }> };
    const [first, ...others] = config.reports;
    writeFileSync(join(dir, 'mesh-report.config.json'), JSON.stringify({ ...config, reports: [first] }));
    const otherNames = others.map((r) => basename(r.out).replace(/\.md$/, ''));
    // Note: `docs/reference/` is written by hand, not built.
    const ours = (f: string) => !f.startsWith(`reference${sep}`) && !otherNames.some((name) => f.startsWith(`${name}.`) || f.startsWith(join('charts', name) + sep));
    const args = [CLI, '--config', join(dir, 'mesh-report.config.json'), '--quiet'];
    const rows: Measurement[] = [];
    say('the sample: unchanged rebuild');
    // The build before: it keeps every chart (the docs are the committed ones) and fills the parse cache.
    timeCommand(process.execPath, args, { cwd: dir, env });
    rows.push({ what: 'sample, unchanged rebuild (`npm run report`)', ...best(repeat, () => ({ ...timeCommand(process.execPath, args, { cwd: dir, env }), maxRssBytes: null })), note: 'charts kept, files from the parse cache' });
    rows.push({
      what: 'sample, unchanged rebuild, `--no-cache`',
      ...best(repeat, () => ({ ...timeCommand(process.execPath, [...args, '--no-cache'], { cwd: dir, env }), maxRssBytes: null })),
      note: 'charts kept, every file parsed',
    });
    say('the sample: --check');
    rows.push({ what: 'sample, `--check`', ...best(repeat, () => ({ ...timeCommand(process.execPath, [...args, '--check'], { cwd: dir, env }), maxRssBytes: null })), note: 'files from the parse cache' });
    say('the sample: cold build (no docs on disk, no parse cache)');
    const cold = best(repeat, () => {
      rmSync(join(dir, 'docs'), { recursive: true, force: true });
      rmSync(cache, { recursive: true, force: true });
      return { ...timeCommand(process.execPath, args, { cwd: dir, env }), maxRssBytes: null };
    });
    const committed = filesUnder(join(ROOT, 'docs')).filter(ours);
    const built = filesUnder(join(dir, 'docs')).filter(ours);
    const differing = [...new Set([...committed, ...built])].filter(
      (f) => !committed.includes(f) || !built.includes(f) || !readFileSync(join(ROOT, 'docs', f)).equals(readFileSync(join(dir, 'docs', f))),
    );
    const note = differing.length === 0 ? `reproduces the committed docs/ byte for byte (${committed.length} files)` : `**differs from the committed docs/**: ${differing.slice(0, 5).join(', ')}${differing.length > 5 ? ', ...' : ''}`;
    rows.push({ what: 'sample, cold build (no outputs on disk, no parse cache)', ...cold, note });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `report:diff` from the sample's data to a copy whose first oha text file has its `Average:`
 * figure one unit of the last digit higher (still between Fastest and Slowest), as a reviewer
 * diffs a pull request that changed one result.
 */
function benchDiff(repeat: number): Measurement[] {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-report-bench-diff-'));
  try {
    const from = join(ROOT, 'network-tests', 'sample');
    const to = join(dir, 'sample');
    cpSync(from, to, { recursive: true });
    const file = filesUnder(to).find((f) => f.endsWith('.txt') && /^\s*Average:\s+\d/m.test(readFileSync(join(to, f), 'utf8')));
    if (file === undefined) throw new Error('Cannot find an oha text file with an `Average:` line in the sample');
    const text = readFileSync(join(to, file), 'utf8');
    writeFileSync(join(to, file), text.replace(/^(\s*Average:\s+)(\d+)\.(\d+)/m, (_, head: string, int: string, frac: string) => {
      const bumped = (BigInt(int + frac) + 1n).toString().padStart(int.length + frac.length, '0');
      return `${head}${bumped.slice(0, -frac.length)}.${bumped.slice(-frac.length)}`;
    }));
    say('report:diff of the sample against a copy with one changed figure');
    let changed = '';
    const cache = join(dir, 'parse-cache');
    const m = best(repeat, () => {
      rmSync(cache, { recursive: true, force: true });
      const run = timeCommand(process.execPath, [DIFF_CLI, '--from', from, '--to', to], { cwd: dir, env: { ...process.env, MESH_REPORT_CACHE: cache } });
      changed = run.stdout;
      return { seconds: run.seconds, maxRssBytes: null };
    });
    const note = /^1 figure changed/m.test(changed) && changed.includes('Average') ? `finds the one changed figure (\`Average\` of ${file})` : '**the diff does not list exactly the changed figure**';
    return [{ what: '`report:diff`, sample vs. a copy with one changed figure', ...m, note }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A synthetic study of `runs` runs, tables only, built ad hoc. */
function benchStudy(runs: number, repeat: number): Measurement[] {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-report-bench-study-'));
  try {
    const study = join(dir, 'study');
    say(`writing a study of ${runs.toLocaleString('en-US')} runs...`);
    writeSyntheticStudy(study, runs);
    const args = [CLI, '--data', study, '--template', join(study, 'template.md'), '--out', join(dir, 'out', 'report.md'), '--quiet'];
    say(`building the study of ${runs.toLocaleString('en-US')} runs`);
    const cache = join(dir, 'parse-cache');
    const m = best(repeat, () => {
      rmSync(join(dir, 'out'), { recursive: true, force: true });
      rmSync(cache, { recursive: true, force: true });
      return { ...timeCommand(process.execPath, args, { cwd: dir, env: { ...process.env, MESH_REPORT_CACHE: cache } }), maxRssBytes: null };
    });
    return [{ what: `synthetic study, ${runs.toLocaleString('en-US')} runs, tables only`, ...m, note: `${((m.seconds / runs) * 1e3).toFixed(2)} ms a run` }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      repeat: { type: 'string', default: '3' },
      rows: { type: 'string', default: '1000000,10000000' },
      'study-runs': { type: 'string', default: '2400' },
      'csv-dir': { type: 'string' },
      skip: { type: 'string', default: '' },
    },
  });
  const repeat = Math.max(1, Number(values.repeat));
  const skip = new Set(values.skip.split(',').filter(Boolean));
  const stale = staleBuild(ROOT);
  if (stale !== null || !existsSync(CLI)) {
    say(`${stale ?? 'dist/ is not built'}: building`);
    timeCommand(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'build.ts')], { cwd: ROOT });
  }
  const baseline = best(Math.max(5, repeat), () => ({ ...timeCommand(process.execPath, ['-e', '0']), maxRssBytes: null }));
  const rows: Measurement[] = [{ what: '`node -e 0`', ...baseline, note: 'the unit of the × column' }];
  if (!skip.has('sample')) rows.push(...benchSample(repeat));
  if (!skip.has('diff')) rows.push(...benchDiff(repeat));
  if (!skip.has('study')) rows.push(...benchStudy(Number(values['study-runs']), repeat));
  if (!skip.has('csv')) {
    const sizes = values.rows.split(',').filter(Boolean).map(Number);
    rows.push(...benchPerRequest({ root: ROOT, sizes, repeat, ...(values['csv-dir'] === undefined ? {} : { csvDir: values['csv-dir'] }) }));
  }
  const load = loadavg().map((l) => l.toFixed(1)).join(', ');
  process.stdout.write(`${formatTable(baseline.seconds, rows)}\n${availableParallelism()} cores, Node.js ${process.version}, load average ${load}; fastest of ${repeat} runs.\n`);
}

await main();
