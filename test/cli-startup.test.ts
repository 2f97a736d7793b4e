import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeTwoOptionStudy } from './helpers/oha-text.ts';
import { ROOT, runCli, type CliResult, type Command } from './helpers/run-cli.ts';

const RECORDER = path.join(ROOT, 'test', 'helpers', 'record-packages.mjs');

/** Runs a command as npm would, and returns what it did with the packages it imported, sorted. */
async function runRecorded(command: Command, args: string[], cwd = ROOT): Promise<CliResult & { packages: string[] }> {
  const record = path.join(await mkdtemp(path.join(tmpdir(), 'mesh-startup-')), 'packages.txt');
  const npm = { npm_package_name: 'mesh-report', npm_lifecycle_event: command };
  const result = runCli(args, { cwd, command, nodeOptions: ['--import', RECORDER], env: { MESH_REPORT_RECORD_PACKAGES: record, ...npm } });
  const packages = existsSync(record) ? [...new Set((await readFile(record, 'utf8')).split('\n').filter(Boolean))].sort() : [];
  return { ...result, packages };
}

/** The libraries that take a noticeable time to load. */
const HEAVY = /^(vega|vega-lite|sharp|better-sqlite3|unified|remark-.*|rehype-.*|ajv|fast-glob)$/;
const CHART_OR_SQLITE = /^(vega|vega-lite|sharp|better-sqlite3)$/;

for (const command of ['report', 'report:diff', 'site', 'fetch-metrics'] as const) {
  test(`\`npm run ${command} -- --help\` answers without loading any heavy library`, async () => {
    const r = await runRecorded(command, ['--help']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Usage: npm run /);
    assert.deepEqual(r.packages.filter((p) => HEAVY.test(p)), []);
  });
}

test('a report with no chart and no SQLite file loads neither the chart libraries nor better-sqlite3', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-startup-'));
  await writeTwoOptionStudy(dir);
  await writeFile(path.join(dir, 'template.md'), '<!-- report:latency-tables -->\n');
  const r = await runRecorded('report', ['--data', 'data', '--template', 'template.md', '--out', 'report.md', '--quiet'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.packages.filter((p) => CHART_OR_SQLITE.test(p)), []);
  // What it needs is loaded, and recorded: the report is rendered with unified.
  assert.ok(r.packages.includes('unified'), r.packages.join(' '));
});
