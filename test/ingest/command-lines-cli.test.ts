/**
 * End to end through the CLI: an oha command line in a pasted session describes the one summary
 * it produced, not the summaries of a script's output pasted below it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ohaText } from '../helpers/oha-text.ts';
import { runCli } from '../helpers/run-cli.ts';

const FRAMEWORKS = ['express', 'fastify', 'koa', 'hono'];

/** A framework benchmark's README: one example command, then the output of the script that benchmarks four frameworks. */
function frameworksReadme(): string {
  return [
    '# Hello-world benchmark',
    '',
    'Each server gets the same load, e.g.:',
    '',
    '```sh',
    '$ oha -c 50 -n 10000 http://localhost:3000/hello',
    '```',
    '',
    'Output of `./bench.sh`:',
    '',
    '```',
    ...FRAMEWORKS.flatMap((framework, i) => [
      `Testing ${framework} on port ${3000 + i}`,
      ohaText({ total: 2 + i, rps: 10000 / (2 + i), p50: 0.009 + i / 1000, p90: 0.02, p99: 0.03, p999: 0.04, responses: 10000 }),
    ]),
    '```',
    '',
  ].join('\n');
}

test('a README with one example command above four summaries: only the first summary takes its URL', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-commands-'));
  await mkdir(path.join(dir, 'data', 'node', 'hello'), { recursive: true });
  await writeFile(path.join(dir, 'data', 'node', 'hello', 'frameworks-50-10000.md'), frameworksReadme());
  await writeFile(path.join(dir, 'template.md'), '<!-- report:latency-tables -->\n');
  const r = runCli(['--data', 'data', '--template', 'template.md', '--out', 'report.md', '--quiet'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const sidecar = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as { runs: Array<{ line: number; concurrency: number; labels: Record<string, string>; command: { line: number } | null }> };
  const runs = [...sidecar.runs].sort((a, b) => a.line - b.line);
  assert.deepEqual(
    runs.map((run) => [run.line, run.concurrency, run.labels.url ?? null, run.command?.line ?? null]),
    [
      [13, 50, 'http://localhost:3000/hello', 6],
      [49, 50, null, null],
      [85, 50, null, null],
      [121, 50, null, null],
    ],
  );
});
