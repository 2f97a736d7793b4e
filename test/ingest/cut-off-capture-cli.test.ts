/**
 * End to end through the CLI: a text capture cut off before its summary ends is named in a
 * warning (file, line, what it lacks); the report is still built, and the run's sidecar entry says
 * what it lacks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ISTIO_FIGURES, ohaText, writeTwoOptionStudy } from '../helpers/oha-text.ts';
import { runCli } from '../helpers/run-cli.ts';

test('a capture cut off after its 50% row is a warning naming its file and line; the build exits 0', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-cut-off-'));
  await writeTwoOptionStudy(dir);
  const whole = ohaText(ISTIO_FIGURES);
  await writeFile(path.join(dir, 'data', 'istio', 'pod', 'oha-32-1000.txt'), `Started at 2024-04-10-13-30\n${whole.slice(0, whole.indexOf('  75.00% in'))}`);
  await writeFile(path.join(dir, 'template.md'), '<!-- report:latency-tables -->\n');
  const r = runCli(['--data', 'data', '--template', 'template.md', '--out', 'report.md', '--quiet'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stderr.trim(),
    'data/istio/pod/oha-32-1000.txt:2: warning: Cannot read the whole oha summary at line 2 of `data/istio/pod/oha-32-1000.txt`: it ends before its percentiles above 50% and its status code distribution (the capture was cut off); the run is flagged `incomplete-capture` and left out of the comparisons [ingest:oha]',
  );
  const sidecar = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as { runs: Array<{ environment: string; missingSections?: string[] }> };
  assert.deepEqual(
    sidecar.runs.map((run) => [run.environment, run.missingSections ?? null]),
    [
      ['baseline', null],
      ['istio', ['percentiles above 50%', 'status code distribution']],
    ],
  );
});
