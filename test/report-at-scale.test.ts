/**
 * A report a reviewer reads in minutes (issue #21), checked as a reviewer would read it: the
 * committed sample report and a generated 200-run study where most runs are flagged each have the
 * study's title as H1 and the verdict with its figures within the first 40 lines; no line of text
 * (table rows aside) is written more than three times, no flag reason more than ten; and the
 * 200-run study stays under 500 lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateStudy } from '../scripts/generate-study.ts';
import { ROOT, runCli } from './helpers/run-cli.ts';

interface Built {
  md: string;
  sidecar: { title: string | null; verdict: string | null; runs: { flags: { severity: string; message: string }[] }[] };
}

/** The checks every report must pass; `label` names the report in messages. */
function assertReadable(label: string, { md, sidecar }: Built): void {
  const lines = md.split('\n');
  assert.equal(lines[0], `# ${sidecar.title}`, `${label}: the study's title is the H1`);
  // The verdict: within the first 40 lines, naming an option (or saying none can be named) with figures.
  const top = lines.slice(0, 40).join('\n');
  assert.ok(sidecar.verdict !== null && top.replace(/\*\*/g, '').includes(sidecar.verdict), `${label}: the verdict is in the first 40 lines:\n${top}`);
  assert.match(sidecar.verdict!, /[-+]\d+\.\d%.*noise \d+\.\d%|No option can be named/, `${label}: the verdict gives its figures and the noise they clear`);
  // No line of text more than three times (tables are rows of figures, not text).
  const counts = new Map<string, number>();
  for (const line of lines) if (line.trim() !== '' && !line.startsWith('|')) counts.set(line, (counts.get(line) ?? 0) + 1);
  const repeated = [...counts].filter(([, n]) => n > 3);
  assert.deepEqual(repeated, [], `${label}: lines written more than three times`);
  // No flag reason more than ten times, however many runs it flags.
  const reasons = new Set(sidecar.runs.flatMap((r) => r.flags.map((f) => f.message)));
  for (const reason of reasons) {
    const n = md.split(reason).length - 1;
    assert.ok(n <= 10, `${label}: “${reason}” written ${n} times`);
  }
}

test('the committed sample report: title as H1, the verdict first, every fact once', async () => {
  const md = await readFile(path.join(ROOT, 'docs', 'test-report.md'), 'utf8');
  const sidecar = JSON.parse(await readFile(path.join(ROOT, 'docs', 'test-report.json'), 'utf8')) as Built['sidecar'];
  assertReadable('docs/test-report.md', { md, sidecar });
  // The verdict names Linkerd with its change against the baseline and the noise it clears.
  assert.match(md.split('\n').slice(0, 10).join('\n'), /^\*\*Linkerd\*\* has the least overhead: QPS -\d+\.\d% against Baseline’s cluster \(mean of \d+ cells at maximum rate; .*noise 3\.0%\)/m);
});

test('a generated 200-run study, most runs flagged: title, verdict first, every fact once, under 500 lines', { timeout: 240_000 }, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-scale-'));
  const study = generateStudy({ runs: 200, out: path.join(dir, 'data'), seed: 1 });
  const r = runCli(['--data', 'data', '--template', path.join(ROOT, 'templates', 'test-report.md'), '--out', 'docs/report.md', '--quiet'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const built: Built = {
    md: await readFile(path.join(dir, 'docs', 'report.md'), 'utf8'),
    sidecar: JSON.parse(await readFile(path.join(dir, 'docs', 'report.json'), 'utf8')) as Built['sidecar'],
  };
  assert.equal(built.sidecar.runs.length, study.runs);
  const flagged = built.sidecar.runs.filter((run) => run.flags.length > 0).length;
  assert.ok(flagged > built.sidecar.runs.length / 2, `most runs flagged: ${flagged} of ${built.sidecar.runs.length}`);
  assertReadable('200-run study', built);
  const lines = built.md.split('\n').length;
  assert.ok(lines < 500, `the 200-run study's report has ${lines} lines`);
});
