import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ingestOha } from '../../src/ingest/ingest-oha.ts';
import { reportLayoutProblems } from '../../src/ingest/layout-problems.ts';
import { DEFAULT_LAYOUT, compileLayoutRule, placePath, type PlacedPath } from '../../src/ingest/layout.ts';
import { ohaText } from '../helpers/oha-text.ts';
import { ROOT, runCli } from '../helpers/run-cli.ts';

const RUN = ohaText({ total: 1, rps: 10, p50: 0.01, p90: 0.02, p99: 0.03, p999: 0.04, responses: 10 });
const DEFAULT_RULES = DEFAULT_LAYOUT.map(compileLayoutRule);
const DEFAULT_PATTERNS = '`{environment}/{scenario}/{name}-{concurrency}-{requests}.{ext}` or `{environment}/{scenario}/{name}.{ext}`';

/** `<prefix><environment>/<scenario>/oha-<c>-<n>.txt` for 4 × 2 × 6 × 4 = 192 runs, sorted. */
function studyFiles(prefix: string): string[] {
  const files: string[] = [];
  for (const environment of ['baseline', 'cilium', 'istio', 'linkerd']) {
    for (const scenario of ['pod', 'vm']) {
      for (const c of [128, 16, 256, 32, 64, 8]) for (const n of [1000, 2000, 3000, 4000]) files.push(`${prefix}${environment}/${scenario}/oha-${c}-${n}.txt`);
    }
  }
  return files.sort();
}

const noRule = (files: string[]) => files.map((file) => ({ kind: 'no-rule' as const, file }));

test('files no rule places are one message: the count, three examples, and every file kept', () => {
  const files = ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt'];
  const [d, ...rest] = reportLayoutProblems(noRule(files), DEFAULT_RULES, 'data');
  assert.deepEqual(rest, []);
  assert.deepEqual({ ...d, files: undefined }, {
    level: 'error',
    origin: 'ingest:layout',
    file: 'data',
    line: null,
    message: `Cannot place 5 files (\`a.txt\`, \`b.txt\`, \`c.txt\` and 2 more): expected paths like ${DEFAULT_PATTERNS}, or an \`exclude\` entry in dataset.json`,
    files: undefined,
  });
  assert.deepEqual(d?.files, files.map((f) => `data/${f}`));
});

test('one file no rule places keeps its own message, on its path', () => {
  assert.deepEqual(reportLayoutProblems(noRule(['notes.txt']), DEFAULT_RULES, 'data'), [
    { level: 'error', origin: 'ingest:layout', file: 'data/notes.txt', line: null, message: `Cannot place file: expected a path like ${DEFAULT_PATTERNS}, or an \`exclude\` entry in dataset.json` },
  ]);
});

test('files one or two folders deeper than the pattern: the hint gives `{_}/` and the data folder to point at', () => {
  const [deeper] = reportLayoutProblems(noRule(studyFiles('study/')), DEFAULT_RULES, 'network-tests/q3');
  assert.equal(
    deeper?.message,
    `Cannot place 192 files (\`study/baseline/pod/oha-128-1000.txt\`, \`study/baseline/pod/oha-128-2000.txt\`, \`study/baseline/pod/oha-128-3000.txt\` and 189 more): expected paths like ${DEFAULT_PATTERNS}, or an \`exclude\` entry in dataset.json. ` +
      'The files sit one folder deeper than the pattern: try `{_}/{environment}/{scenario}/{name}-{concurrency}-{requests}.{ext}` or point --data (`data` in mesh-report.config.json) at `network-tests/q3/study`',
  );
  const [twice] = reportLayoutProblems(noRule(studyFiles('2024/q3/')), DEFAULT_RULES, 'data');
  assert.match(twice?.message ?? '', /\. The files sit two folders deeper than the pattern: try `\{_\}\/\{_\}\/\{environment\}\/.*` or point --data \(`data` in mesh-report.config.json\) at `data\/2024\/q3`$/);
  // Two studies side by side: the pattern fixes both, no single folder does.
  const [two] = reportLayoutProblems(noRule([...studyFiles('q2/'), ...studyFiles('q3/')]), DEFAULT_RULES, 'data');
  assert.match(two?.message ?? '', /\. The files sit one folder deeper than the pattern: try `\{_\}\/\{environment\}\/\{scenario\}\/\{name\}-\{concurrency\}-\{requests\}\.\{ext\}`$/);
});

test('files one folder shallower than the pattern: the hint gives the pattern without it and the constant it gave', () => {
  const files = studyFiles('').filter((f) => f.startsWith('istio/')).map((f) => f.slice('istio/'.length));
  const [d] = reportLayoutProblems(noRule(files), DEFAULT_RULES, 'network-tests/istio');
  assert.match(
    d?.message ?? '',
    /^Cannot place 48 files \(`pod\/oha-128-1000\.txt`, .* and 45 more\): .*\. The files sit one folder shallower than the pattern `\{environment\}\/\{scenario\}\/\{name\}-\{concurrency\}-\{requests\}\.\{ext\}`: try `\{scenario\}\/\{name\}-\{concurrency\}-\{requests\}\.\{ext\}` with `"environment": "<environment id>"` in the rule or point --data \(`data` in mesh-report.config.json\) at `network-tests`, the folder above$/,
  );
});

test('a hint that holds for most files says for how many; one that holds for few is not given', () => {
  const files = [...studyFiles('study/').filter((f) => f.includes('/pod/oha-128-1000')).slice(0, 3), ...studyFiles('study/').filter((f) => f.includes('/vm/oha-8-')).slice(0, 3), 'study/README.txt', 'study/notes.txt'];
  assert.match(reportLayoutProblems(noRule(files), DEFAULT_RULES, 'data')[0]?.message ?? '', /\. 6 of the 8 files sit one folder deeper than the pattern: /);
  const few = [...studyFiles('study/').slice(0, 1), 'a.txt', 'b.txt', 'c.txt'];
  assert.doesNotMatch(reportLayoutProblems(noRule(few), DEFAULT_RULES, 'data')[0]?.message ?? '', /sit/);
});

/** `<mesh>/<group>/<scenario>/oha-<c>-<n>.txt` for the four meshes, each group with its scenarios, 6 × 4 runs per scenario. */
function groupedFiles(groups: Record<string, readonly string[]>): string[] {
  return studyFiles('').flatMap((file) => {
    const [mesh, scenario, name] = file.split('/');
    return scenario === 'pod' ? Object.entries(groups).flatMap(([group, scenarios]) => scenarios.map((s) => `${mesh}/${group}/${s}/${name}`)) : [];
  }).sort();
}

/** The pattern a message says to try, and the rule's templates given with it, placing `files`: environments and scenarios found, and runs told apart. */
function placedByHint(message: string, files: readonly string[]): { environments: string[]; scenarios: string[]; runs: number } {
  const [, pattern] = /: try `([^`]+)`/.exec(message) ?? [];
  assert.ok(pattern, message);
  const scenario = /with `"scenario": "([^"]+)"` in the rule/.exec(message)?.[1];
  const rule = compileLayoutRule({ pattern, ...(scenario === undefined ? {} : { scenario }) });
  const placed = files.map((file) => placePath(file, [rule]));
  const where = placed.filter((p): p is PlacedPath => p !== null && typeof p === 'object');
  assert.equal(where.length, files.length, `\`${pattern}\` places every file`);
  return {
    environments: [...new Set(where.map((p) => p.environment))].sort(),
    scenarios: [...new Set(where.map((p) => p.scenario))].sort(),
    runs: new Set(where.map((p) => JSON.stringify([p.environment, p.scenario, p.concurrency, p.requests]))).size,
  };
}

test('files a folder deeper in the middle (mesh, then pod or vm, then the scenario): the hint skips the middle folder and places the four meshes', () => {
  const files = groupedFiles({ pod: ['pod-to-service', 'pod-to-pod'], vm: ['vm-to-ingress'] });
  assert.equal(files[0], 'baseline/pod/pod-to-pod/oha-128-1000.txt');
  const message = reportLayoutProblems(noRule(files), DEFAULT_RULES, 'data')[0]?.message ?? '';
  assert.match(message, /\. The files sit one folder deeper than the pattern: try `\{environment\}\/\{_\}\/\{scenario\}\/\{name\}-\{concurrency\}-\{requests\}\.\{ext\}` \(`\{_\}` skips `pod`, `vm`\)$/);
  assert.doesNotMatch(message, /try `\{_\}\//, 'not the hint that took pod and vm for environments');
  assert.deepEqual(placedByHint(message, files), {
    environments: ['baseline', 'cilium', 'istio', 'linkerd'],
    scenarios: ['pod-to-pod', 'pod-to-service', 'vm-to-ingress'],
    runs: files.length,
  });
  // And under a study folder too: two folders deeper, one above the meshes and one below.
  const study = files.map((f) => `study/${f}`);
  const deeper = reportLayoutProblems(noRule(study), DEFAULT_RULES, 'data')[0]?.message ?? '';
  assert.match(deeper, /\. The files sit two folders deeper than the pattern: try `\{_\}\/\{environment\}\/\{_\}\/\{scenario\}\/.*` \(the first `\{_\}` skips `study`, the second `pod`, `vm`\)$/);
  assert.deepEqual(placedByHint(deeper, study).environments, ['baseline', 'cilium', 'istio', 'linkerd']);
});

test('a middle folder that tells runs apart is named and put in the scenario; one that says nothing the scenario does not is skipped', () => {
  const both = groupedFiles({ pod: ['bookinfo', 'podinfo'], vm: ['bookinfo', 'podinfo'] });
  const folded = reportLayoutProblems(noRule(both), DEFAULT_RULES, 'data')[0]?.message ?? '';
  assert.match(folded, /\. The files sit one folder deeper than the pattern, and that folder tells runs apart \(`pod`, `vm`\): try `\{environment\}\/\{group\}\/\{scenario\}\/\{name\}-\{concurrency\}-\{requests\}\.\{ext\}` with `"scenario": "\{group\}-\{scenario\}"` in the rule$/);
  assert.deepEqual(placedByHint(folded, both), {
    environments: ['baseline', 'cilium', 'istio', 'linkerd'],
    scenarios: ['pod-bookinfo', 'pod-podinfo', 'vm-bookinfo', 'vm-podinfo'],
    runs: both.length,
  });
  // One application under pod and vm alike: the application folder is the one that says nothing.
  const one = groupedFiles({ pod: ['bookinfo'], vm: ['bookinfo'] });
  const skipped = reportLayoutProblems(noRule(one), DEFAULT_RULES, 'data')[0]?.message ?? '';
  assert.match(skipped, /try `\{environment\}\/\{scenario\}\/\{_\}\/\{name\}-\{concurrency\}-\{requests\}\.\{ext\}` \(`\{_\}` skips `bookinfo`\)$/);
  assert.deepEqual(placedByHint(skipped, one), { environments: ['baseline', 'cilium', 'istio', 'linkerd'], scenarios: ['pod', 'vm'], runs: one.length });
});

test('no pattern with a folder skipped gives a study: the message shows the folder levels found, with example values', () => {
  // One environment only: skipping the study folder would compare nothing.
  const single = studyFiles('study/').filter((f) => f.startsWith('study/istio/'));
  assert.equal(
    reportLayoutProblems(noRule(single), DEFAULT_RULES, 'data')[0]?.message.replace(/^.*dataset\.json\. /, ''),
    'The files sit 3 folders deep (level 1: `study`; level 2: `istio`; level 3: `pod`, `vm`): skipping a folder with `{_}` gives a single environment, or environments named like scenarios; write a pattern with a part for each level (`{environment}`, `{scenario}`, `{_}` for a folder to skip)',
  );
  // Environments named like scenarios: the levels were taken for one another.
  const crossed = ['results/pod/vm/oha-32-1000.txt', 'results/vm/pod/oha-32-1000.txt'];
  assert.match(reportLayoutProblems(noRule(crossed), DEFAULT_RULES, 'data')[0]?.message ?? '', /\. The files sit 3 folders deep \(level 1: `results`; level 2: `pod`, `vm`; level 3: `pod`, `vm`\): skipping a folder/);
  // Three folders deeper: nothing is tried, the levels are shown.
  const deep = groupedFiles({ pod: ['pod-to-service'], vm: ['vm-to-ingress'] }).map((f) => `2024/q3/${f}`);
  assert.equal(
    reportLayoutProblems(noRule(deep), DEFAULT_RULES, 'data')[0]?.message.replace(/^.*dataset\.json\. /, ''),
    'The files sit 5 folders deep (level 1: `2024`; level 2: `q3`; level 3: `baseline`, `cilium`, `istio` and 1 more; level 4: `pod`, `vm`; level 5: `pod-to-service`, `vm-to-ingress`): write a pattern with a part for each level (`{environment}`, `{scenario}`, `{_}` for a folder to skip)',
  );
});

test('a rule giving a value that is not a number is one cause whatever the value; summaries without a concurrency are another', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-layout-'));
  const put = async (rel: string, content: string) => {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  };
  for (const c of ['a', 'b', 'c', 'd']) await put(`istio/pod/run-c${c}.txt`, RUN);
  for (const n of [1, 2]) await put(`istio/plain/run${n}.log`, RUN);
  const result = await ingestOha(dir, 'data', {
    layout: [{ pattern: '{environment}/pod/run-{c}.txt', scenario: 'pod', concurrency: '{c}' }, { pattern: '{environment}/{scenario}/{name}.log' }],
  });
  assert.deepEqual(
    result.diagnostics.map((d) => [d.file, d.line, d.message]),
    [
      ['data', null, 'Cannot place 2 summaries (`istio/plain/run1.log:1`, `istio/plain/run2.log:1`): expected a concurrency from the path (layout `{environment}/{scenario}/{name}.log` gives none) or a command line above the summary (or the parameters its tool printed)'],
      ['data', null, 'Cannot place 4 files (`istio/pod/run-ca.txt`, `istio/pod/run-cb.txt`, `istio/pod/run-cc.txt` and 1 more): layout `{environment}/pod/run-{c}.txt` gives a concurrency that is not a whole number'],
    ],
  );
});

test('the CLI prints a layout that misses 192 files as one line, and exits 2', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-layout-cli-'));
  for (const file of studyFiles('study/')) {
    await mkdir(path.dirname(path.join(dir, 'data', file)), { recursive: true });
    await writeFile(path.join(dir, 'data', file), RUN);
  }
  const r = runCli(['--data', 'data', '--template', path.join(ROOT, 'templates', 'test-report.md'), '--out', 'out/r.md', '--quiet'], { cwd: dir });
  assert.equal(r.status, 2, r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 2, r.stderr);
  assert.equal(lines[0], 'mesh-report: 1 problem(s); nothing was written.');
  assert.match(lines[1] ?? '', /^data: error: Cannot place 192 files \(`study\/baseline\/pod\/oha-128-1000\.txt`, .* and 189 more\): .* The files sit one folder deeper than the pattern: try `\{_\}\/\{environment\}\/.*` or point --data \(`data` in mesh-report.config.json\) at `data\/study` \[ingest:layout\]$/);
});
