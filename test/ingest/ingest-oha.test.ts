import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MAX_SUMMARY_BYTES, ingestOha } from '../../src/ingest/ingest-oha.ts';
import { fixture } from '../fixtures/oha/read-fixture.ts';
import { ohaText } from '../helpers/oha-text.ts';

async function dataFolder(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-ingest-'));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
  return dir;
}

const RUN = ohaText({ total: 1, rps: 10, p50: 0.01, p90: 0.02, p99: 0.03, p999: 0.04, responses: 10 });

test('Markdown without oha summaries is skipped silently; a pasted session is placed by its command lines', async () => {
  const dir = await dataFolder({
    'README.md': '# Results\n\nRun `oha` like this:\n\n```sh\n$ oha -c N -n 1000 http://gateway/\n```\n',
    'bench/endpoints/notes.md': 'Nothing measured yet.\n',
    'bench/endpoints/session.md': fixture('text/pasted-session.md'),
  });
  const result = await ingestOha(dir, 'data', { layout: [{ pattern: '{environment}/{scenario}/{name}.{ext}' }] });
  assert.deepEqual(result.diagnostics, []);
  assert.deepEqual(result.files, ['bench/endpoints/session.md'], 'skipped notes are not counted as oha files');
  assert.equal(result.placed.length, 5);
  assert.deepEqual(
    result.placed.map((p) => [p.placed.concurrency, p.ingested.command?.concurrency]),
    [[null, 64], [null, 8], [null, 16], [null, 32], [null, 64]],
  );
});

test('a summary the path and its file give no concurrency for is an error naming its line; a broken Markdown summary too', async () => {
  const dir = await dataFolder({
    'bench/endpoints/plain.txt': RUN,
    'bench/endpoints/cut.md': `# notes\n${RUN.split('Response time distribution')[0]}`,
  });
  const result = await ingestOha(dir, 'data', { layout: [{ pattern: '{environment}/{scenario}/{name}.{ext}' }] });
  assert.equal(result.placed.length, 0);
  assert.deepEqual(
    result.diagnostics.map((d) => [d.origin, d.file, d.line, d.message.replace(/ ends before.*/, '')]),
    [
      ['ingest:oha', 'data/bench/endpoints/cut.md', 17, 'Cannot read line 17: the oha summary started at line 2'],
      [
        'ingest:layout',
        'data/bench/endpoints/plain.txt',
        1,
        'Cannot place the summary on line 1: expected a concurrency from the path (layout `{environment}/{scenario}/{name}.{ext}` gives none) or a command line above the summary (or the parameters its tool printed)',
      ],
    ],
  );
});

test('summaries below one example command, in a file whose path gives no concurrency: left out with a warning that the command describes the first only', async () => {
  const session = ['oha -c 50 -n 10000 http://localhost:3000/hello', '', ...['express', 'fastify', 'koa'].flatMap((f) => [`Testing ${f}`, RUN])].join('\n');
  const dir = await dataFolder({ 'bench/hello/README.md': session, 'bench/other/README.md': session });
  const result = await ingestOha(dir, 'data', { layout: [{ pattern: '{environment}/{scenario}/{name}.{ext}' }] });
  assert.deepEqual(result.placed.map((p) => [p.placed.scenario, p.ingested.source.line, p.ingested.command?.line]), [['hello', 4, 1], ['other', 4, 1]]);
  // Warnings, not errors: the report is built from the summary the command describes.
  assert.deepEqual(
    result.diagnostics.map((d) => [d.level, d.file, d.line]),
    [40, 76].flatMap((line) => [['warning', 'data/bench/hello/README.md', line]]).concat([40, 76].map((line) => ['warning', 'data/bench/other/README.md', line])),
  );
  assert.equal(
    result.diagnostics[0]!.message,
    'Cannot place the summary on line 40: it has no oha command line of its own and the path gives no concurrency (layout `{environment}/{scenario}/{name}.{ext}`); the oha command on line 1 describes only the summary on line 4 (oha prints one summary per command): left out of the report (give its run a command line or a concurrency in its file name to compare it)',
  );
});

test('a Markdown file with summaries that no layout places is an error, other files keep their behaviour', async () => {
  const dir = await dataFolder({ 'loose/session.md': `$ oha -c 4 http://a.test/\n${RUN}`, 'loose/run.txt': 'not read\n' });
  const result = await ingestOha(dir, 'data', {});
  assert.deepEqual(
    result.diagnostics.map((d) => [d.file, d.message.slice(0, 80), d.files]),
    [['data', 'Cannot place 2 files (`loose/run.txt`, `loose/session.md`): expected paths like ', ['data/loose/run.txt', 'data/loose/session.md']]],
  );
});

test('a symlink loop in the data folder is one error naming the link and where it points back to', async () => {
  const dir = await dataFolder({ 'istio/pod/oha-32-1000.txt': RUN });
  await symlink('..', path.join(dir, 'istio', 'loop'));
  const result = await ingestOha(dir, 'data', {});
  assert.deepEqual(
    result.diagnostics.map((d) => [d.origin, d.file, d.message.replace(/:.*/, '')]),
    [['ingest:discover', 'data/istio/loop', '`data/istio/loop` is a symlink loop (points back to `data`)']],
  );
  assert.equal(result.placed.length, 1, 'the other files are still read');
});

test('an oha summary file over the size limit is refused without being read, naming its size', async () => {
  const dir = await dataFolder({ 'istio/pod/oha-32-1000.txt': RUN, 'istio/pod/oha-64-1000.json': '' });
  // A sparse file: 512 MiB long, nothing written, so the test uses no disk.
  await truncate(path.join(dir, 'istio/pod/oha-64-1000.json'), 512 * 1024 ** 2);
  const result = await ingestOha(dir, 'data', {});
  assert.deepEqual(
    result.diagnostics.map((d) => [d.origin, d.file, d.message]),
    [[
      'ingest:oha',
      'data/istio/pod/oha-64-1000.json',
      'Cannot read a file of 512.0 MiB (536870912 bytes) as a load generator\'s summary: expected at most 64.0 MiB (a summary is a few KiB; oha\'s per-request output belongs in a `.csv` or `.db` file)',
    ]],
  );
  assert.equal(result.placed.length, 1);
  assert.equal(MAX_SUMMARY_BYTES, 64 * 1024 ** 2);
});
