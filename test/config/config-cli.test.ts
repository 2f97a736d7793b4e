import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ohaText } from '../helpers/oha-text.ts';
import { ROOT, runCli } from '../helpers/run-cli.ts';

async function study(datasetJson: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-config-cli-'));
  await mkdir(path.join(dir, 'data', 'istio', 'pod'), { recursive: true });
  await writeFile(path.join(dir, 'data', 'istio', 'pod', 'oha-32-1000.txt'), ohaText({ total: 6.3512, rps: 157.4506, p50: 0.2017, p90: 0.241, p99: 0.2891, p999: 0.3389, responses: 1000 }));
  await writeFile(path.join(dir, 'data', 'dataset.json'), datasetJson);
  return dir;
}

const args = ['--data', 'data', '--template', path.join(ROOT, 'templates', 'test-report.md'), '--out', 'out/report.md', '--quiet'];

test('`enviroments` in dataset.json is refused with "did you mean `environments`?" on its line, exit 3, nothing written', async () => {
  const dir = await study('{\n  "$schema": "../../schema/dataset.schema.json",\n  "enviroments": [{ "id": "istio", "name": "Istio" }]\n}\n');
  const r = runCli(args, { cwd: dir });
  assert.equal(r.status, 3, r.stderr);
  assert.equal(
    r.stderr,
    'mesh-report: 1 problem(s); nothing was written.\ndata/dataset.json:3: error: Cannot use unknown key `enviroments`: did you mean `environments`? [config]\n',
  );
  assert.ok(!existsSync(path.join(dir, 'out')));
});

test('a mistyped key in mesh-report.config.json is refused the same way', async () => {
  const dir = await study('{}\n');
  await writeFile(path.join(dir, 'mesh-report.config.json'), '{\n  "$schema": "./schema/mesh-report.config.schema.json",\n  "report": []\n}\n');
  const r = runCli(['--quiet'], { cwd: dir });
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /^mesh-report\.config\.json: error: Cannot use this configuration without `reports` \[config\]$/m);
  assert.match(r.stderr, /^mesh-report\.config\.json:3: error: Cannot use unknown key `report`: did you mean `reports`\? \[config\]$/m);
});
