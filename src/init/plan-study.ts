/**
 * What `mesh-report init` writes to start a study in a repository: the data folder's
 * `dataset.json` with a generated example that builds at once (unless the folder holds data
 * already), a copy of the default template, the report's entry in `mesh-report.config.json` and a
 * CI workflow; and, for a named study, the untouched starter study it replaces. Pure: the caller
 * reads what exists and carries out the plan.
 */
import { tooDeepJsonLine, tooDeepJsonMessage } from '../json-text.ts';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { CONFIG_FILE } from '../site/site-files.ts';
import { exampleReadme, exampleRuns, exampleTitle } from './example-study.ts';

/** The default layout of a data folder, as the printed next steps and `dataset.json` show it. */
export const DEFAULT_LAYOUT = ['{environment}/{scenario}/{name}-{concurrency}-{requests}.{ext}', '{environment}/{scenario}/{name}.{ext}'] as const;

/** The workflow `init` writes, shared by every study of the repository. */
export const WORKFLOW_FILE = '.github/workflows/mesh-report.yml';

/** The study `init` starts without `--study`: the starter, which a named study replaces while it is untouched. */
export const STARTER_STUDY = 'my-study';

/** The file in the starter's data folder recording what `init` wrote (hidden: the ingest skips it). */
export const STARTER_MARKER = '.mesh-report-init.json';

/** The paths (relative to the repository, with `/`) of one study. */
export interface StudyPaths {
  /** The data folder, `network-tests/<study>`. */
  data: string;
  dataset: string;
  template: string;
  out: string;
  json: string;
  /** The folder its charts are drawn into. */
  charts: string;
}

/** Where the files of study `study` go. */
export function studyPaths(study: string): StudyPaths {
  return {
    data: `network-tests/${study}`,
    dataset: `network-tests/${study}/dataset.json`,
    template: `templates/${study}.md`,
    out: `docs/${study}.md`,
    json: `docs/${study}.json`,
    charts: `docs/charts/${study}/`,
  };
}

/** Why a study name cannot be used, or null when it can: it becomes a folder and file names. */
export function invalidStudyName(study: string): string | null {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(study) && !study.endsWith('.')) return null;
  return `Cannot use \`${study}\` as a study name: expected letters, digits, \`.\`, \`_\` and \`-\`, starting with a letter or digit (it names the folder network-tests/${study} and docs/${study}.md)`;
}

/** What `init` is given. */
export interface InitInput {
  study: string;
  /**
   * The folder of mesh-report's schemas as seen from the repository (`node_modules/mesh-report/schema`,
   * or `schema` inside mesh-report's own repository), with `/`.
   */
  schemaDir: string;
  /** The text of mesh-report's default template. */
  template: string;
  /** The text of the repository's `mesh-report.config.json`, or null when there is none. */
  config: string | null;
  /** Which of the files `init` writes exist already (paths as in {@link StudyPaths}). */
  existing: ReadonlySet<string>;
  /** Whether files that exist may be replaced, and the study's configuration entry with them (default: `false`). */
  force?: boolean;
  /**
   * The files in the study's data folder now, relative to the repository with `/` (default: none).
   * The example is written only where there are none but its own.
   */
  dataFiles?: readonly string[];
  /** The starter study on disk, when it has a marker and another study is started (default: none). */
  starter?: StarterOnDisk | null;
  /** The text of the repository's `package.json`, or null when there is none (default: null). */
  packageJson?: string | null;
  /** Whether the repository has `package-lock.json` or `npm-shrinkwrap.json` (default: `false`). */
  lockFile?: boolean;
}

/** The starter study as found on disk, for {@link planStudy} to tell whether it is untouched. */
export interface StarterOnDisk {
  /** The text of its marker ({@link STARTER_MARKER}). */
  marker: string;
  /**
   * The SHA-256 (hex) of every file in its data folder but the marker, and of its template when it
   * exists, by path relative to the repository with `/`.
   */
  files: Readonly<Record<string, string>>;
  /** The files its last build wrote, its manifest included (relative to the repository, with `/`). */
  outputs: readonly string[];
}

/** One file to write. */
export interface PlannedFile {
  path: string;
  content: string;
  /** What it is, for the summary `init` prints. */
  purpose: string;
  /** Whether it exists and is replaced (`--force`) or extended (the configuration). */
  replaces: boolean;
  /** The line that lists it with others in the summary (a folder of example runs), if any. */
  group?: string;
}

/** What `init` will do, or why it will not. */
export interface InitPlan {
  paths: StudyPaths;
  files: PlannedFile[];
  /** Files left as they are, with why. */
  kept: { path: string; why: string }[];
  /** Reasons to write nothing at all (files that exist, a configuration that cannot be extended). */
  refusals: string[];
  /** Whether a refusal is about the configuration's content (not about files that exist). */
  badConfig: boolean;
  /** Whether the data folder gets the generated example. */
  example: boolean;
  /** The untouched starter study this one replaces: its files to delete (its entry leaves the configuration). */
  replaced: { study: string; files: string[] } | null;
  /** What to change so that the workflow's `npm ci` installs mesh-report in CI; empty when nothing. */
  ciAdvice: string[];
}

/** The report entry of a study in `mesh-report.config.json`. */
function reportEntry(paths: StudyPaths) {
  return { template: paths.template, data: paths.data, out: paths.out, json: paths.json };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The `dataset.json` of a new study: its title (saying so when its data is the generated
 * example), the baseline and the layout spelled out.
 */
export function datasetJson(study: string, schemaDir: string, example = false): string {
  return json({
    $schema: `../../${schemaDir}/dataset.schema.json`,
    title: example ? exampleTitle(study) : study,
    baseline: 'baseline',
    timezone: 'UTC',
    layout: DEFAULT_LAYOUT.map((pattern) => ({ pattern })),
  });
}

/** The template copy: the default, telling readers the command this repository rebuilds it with. */
export function templateCopy(template: string): string {
  return template.replace('run `npm run report` to', 'run `npx mesh-report` to');
}

/**
 * The CI workflow: on every pull request and push to `main`, checks that the committed reports are
 * what the data makes (`npx mesh-report --check`), then builds the site of every report as an artifact.
 */
export function workflowYaml(): string {
  return `# Made by \`npx mesh-report init\`. Checks that the committed load-test reports are what
# mesh-report makes from the data (run \`npx mesh-report\` and commit docs/ when it fails), then
# builds the static site of every report as an artifact.
name: mesh-report

on:
  pull_request:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read

jobs:
  report:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    steps:
      - uses: actions/checkout@v4

      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm

      # The charts are drawn with DejaVu Sans: the same font gives the same PNGs.
      - name: Install the chart font
        run: sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends fonts-dejavu-core

      - name: Install mesh-report
        run: npm ci --no-audit --no-fund

      - name: The committed reports are up to date
        run: npx mesh-report --check

      - name: Build the site
        run: npx mesh-report site --out site

      - uses: actions/upload-artifact@v4
        with:
          name: mesh-report-site
          path: site
`;
}

/** The `reports` list of configuration `text`, or null when it is not a configuration with one. */
function configReports(text: string): unknown[] | null {
  try {
    if (tooDeepJsonLine(text) !== null) return null;
    const config = JSON.parse(text) as { reports?: unknown } | null;
    return typeof config === 'object' && config !== null && !Array.isArray(config) && Array.isArray(config.reports) ? config.reports : null;
  } catch {
    return null;
  }
}

/** Whether report entry `r` reads the data folder of `paths`, or writes its report or sidecar. */
function sameReport(r: unknown, paths: StudyPaths): boolean {
  const report = r as Record<string, unknown> | null;
  return report !== null && typeof report === 'object' && [report.data, report.out, report.json].some((p) => typeof p === 'string' && [paths.data, paths.out, paths.json].includes(p.replace(/^\.\//, '').replace(/\/$/, '')));
}

/**
 * The configuration with the study's report added (or, with `force`, put in place of the entry
 * that had the same data, output or sidecar), and the entries of study `drop` taken out; a refusal
 * when the text is not a configuration or already lists the study.
 */
function extendConfig(
  text: string | null,
  paths: StudyPaths,
  schemaDir: string,
  force: boolean,
  drop: StudyPaths | null,
): { content: string } | { refusal: string; unusable: boolean } {
  const entry = reportEntry(paths);
  if (text === null) return { content: json({ $schema: `./${schemaDir}/mesh-report.config.schema.json`, reports: [entry] }) };
  let config: unknown;
  try {
    const deep = tooDeepJsonLine(text);
    if (deep !== null) throw new SyntaxError(tooDeepJsonMessage(deep));
    config = JSON.parse(text);
  } catch (e) {
    return { refusal: `Cannot add the report to ${CONFIG_FILE}: expected JSON, got ${(e as Error).message}; fix it or move it away`, unusable: true };
  }
  const reports = configReports(text);
  if (reports === null) {
    return { refusal: `Cannot add the report to ${CONFIG_FILE}: expected an object with a \`reports\` list; fix it or move it away`, unusable: true };
  }
  const at = reports.findIndex((r) => sameReport(r, paths));
  if (at >= 0 && !force) {
    return { refusal: `${CONFIG_FILE} already lists a report of \`${paths.data}\` or into \`${paths.out}\` (report ${at + 1})`, unusable: false };
  }
  const kept = reports.filter((r) => !sameReport(r, paths));
  kept.splice(at >= 0 ? at : kept.length, 0, entry);
  return { content: json({ ...(config as Record<string, unknown>), reports: drop === null ? kept : kept.filter((r) => r === entry || !sameReport(r, drop)) }) };
}

/** What the marker of a starter records: the SHA-256 of each file `init` wrote, by path. */
interface StarterMarker {
  study: string;
  files: Record<string, string>;
}

/** The marker of starter study `study` whose files are `files` (its configuration entry is known from its name). */
function starterMarker(study: string, files: PlannedFile[]): string {
  const hashes = Object.fromEntries(files.map((f) => [f.path, sha256(f.content)]).sort(([a], [b]) => (a! < b! ? -1 : 1)));
  const about = `Written by mesh-report init: what it wrote for the starter study, so that \`mesh-report init --study NAME\` replaces it while it is unchanged. Delete it with the example runs.`;
  return json({ about, study, files: hashes });
}

/**
 * How the starter study on disk differs from what `init` wrote, as phrases (`` `x` added ``); empty
 * when it is untouched. Its entry in the configuration (`config`) must be the one `init` wrote, or gone.
 */
export function starterChanges(starter: StarterOnDisk, config: string | null): string[] {
  let marker: StarterMarker;
  try {
    marker = JSON.parse(starter.marker) as StarterMarker;
    if (marker.study !== STARTER_STUDY || typeof marker.files !== 'object' || marker.files === null) throw new Error('not a marker');
  } catch {
    return [`its record \`${studyPaths(STARTER_STUDY).data}/${STARTER_MARKER}\` is not one init wrote`];
  }
  const changes: string[] = [];
  const paths = [...new Set([...Object.keys(marker.files), ...Object.keys(starter.files)])].sort();
  for (const p of paths) {
    const recorded = marker.files[p];
    const found = starter.files[p];
    if (recorded === undefined) changes.push(`\`${p}\` added`);
    else if (found === undefined) changes.push(`\`${p}\` deleted`);
    else if (found !== recorded) changes.push(`\`${p}\` changed`);
  }
  const starterPaths = studyPaths(STARTER_STUDY);
  const entries = config === null ? [] : (configReports(config) ?? []).filter((r) => sameReport(r, starterPaths));
  if (entries.some((r) => JSON.stringify(r) !== JSON.stringify(reportEntry(starterPaths)))) changes.push(`its entry in ${CONFIG_FILE} changed`);
  return changes;
}

/** Whether the outputs of a build of `paths` (relative to the repository) include `p`: its report, sidecar, manifest or a chart. */
function isOutputOf(p: string, paths: StudyPaths): boolean {
  const manifest = paths.out.replace(/\.md$/, '.outputs.json');
  return [paths.out, paths.json, manifest].includes(p) || (p.startsWith(paths.charts) && !p.split('/').includes('..'));
}

/** The path of a `file:` dependency (`file:../x.tgz`, `./x.tgz`, `../dir`), or null when `spec` is not one. */
function localSpecPath(spec: string): string | null {
  if (spec.startsWith('file:')) return spec.slice('file:'.length);
  if (/^(\.{1,2}\/|\/|~\/)/.test(spec)) return spec;
  return null;
}

/** How the repository's `package.json` (its text, or null) declares mesh-report (`^0.1.0`, `file:../x.tgz`), or null when it does not. */
export function declaredSpec(packageJson: string | null): string | null {
  try {
    const pkg = JSON.parse(packageJson ?? 'null') as Record<string, Record<string, unknown> | undefined> | null;
    const found = ['devDependencies', 'dependencies', 'optionalDependencies'].map((k) => pkg?.[k]?.['mesh-report']).find((v) => typeof v === 'string');
    return (found as string | undefined) ?? null;
  } catch {
    // Note: a package.json that is not JSON fails `npm ci` as well; npm says why better than we can.
    return null;
  }
}

/**
 * What to change so that the workflow's `npm ci` installs mesh-report in CI, as paragraphs, when
 * package.json declares it; empty when it will. It fails without a lock file, and when mesh-report
 * comes from a file or folder that the repository does not hold; a tarball inside it must be committed.
 */
export function workflowAdvice(packageJson: string | null, lockFile: boolean): string[] {
  const spec = declaredSpec(packageJson);
  if (spec === null) return [];
  const advice: string[] = [];
  const local = localSpecPath(spec);
  if (local !== null) {
    const at = path.posix.normalize(local.replace(/\\/g, '/'));
    const tarball = /\.(tgz|tar\.gz|tar)$/i.test(at);
    const name = tarball ? path.posix.basename(at) : 'mesh-report-<version>.tgz';
    if (at === '..' || at.startsWith('../') || path.posix.isAbsolute(at) || at.startsWith('~')) {
      advice.push(`Its \`npm ci\` will fail: package.json takes mesh-report from \`${spec}\`,
    outside this repository, which CI does not have. ${tarball ? 'Copy the tarball' : 'Pack it (`npm pack` in that folder), copy the tarball'} into the
    repository, install it from there, and commit it with package.json and package-lock.json:
       mkdir -p vendor && cp ${tarball ? at : `${at}/${name}`} vendor/
       npm install --save-dev ./vendor/${name}`);
    } else if (tarball) {
      advice.push(`Its \`npm ci\` installs mesh-report from \`${at}\` (package.json): commit that file.`);
    } else {
      advice.push(`Its \`npm ci\` links mesh-report to the folder \`${at}\` (package.json), which works in CI
    only when that folder is committed with its built dist/. A tarball is simpler: \`npm pack\` in
    that folder, copy the tarball to vendor/, install it from there and commit it:
       npm install --save-dev ./vendor/${name}`);
    }
  }
  if (!lockFile) advice.push('Its `npm ci` needs package-lock.json: run `npm install` and commit it.');
  return advice;
}

/**
 * Plans the files of a new study. Nothing is to be written when {@link InitPlan.refusals} is not
 * empty: a file of the study that exists (unless `force`), or a configuration that cannot take the
 * report. The workflow, shared by the studies, is kept when it exists (replaced with `force`). The
 * data folder gets the generated example unless it holds other files; the starter study gets a
 * marker, and a named study replaces the starter while the marker says it is untouched.
 */
export function planStudy(input: InitInput): InitPlan {
  const force = input.force ?? false;
  const paths = studyPaths(input.study);
  const files: PlannedFile[] = [];
  const kept: InitPlan['kept'] = [];
  const refusals: string[] = [];
  const exists = (p: string) => input.existing.has(p) || (input.dataFiles ?? []).includes(p);
  const isStarter = input.study === STARTER_STUDY;

  // 1. The example, unless the data folder holds other files than the example's (data of the user's).
  const runs = exampleRuns().map((r) => ({ ...r, path: `${paths.data}/${r.path}` }));
  const readme = `${paths.data}/README.md`;
  const marker = `${paths.data}/${STARTER_MARKER}`;
  const own = new Set([paths.dataset, readme, marker, ...runs.map((r) => r.path)]);
  const example = (input.dataFiles ?? []).every((p) => own.has(p));
  const planned: [string, string, string, string?][] = [
    [paths.dataset, datasetJson(input.study, input.schemaDir, example), `the study: title${example ? ' (saying its data is an example)' : ''}, baseline, layout (with $schema, so editors complete its keys)`],
  ];
  if (example) {
    planned.push([readme, exampleReadme(paths.data, isStarter ? STARTER_MARKER : null), 'says the data is a generated example, and how to put yours in its place']);
    const group = `${paths.data}/{${[...new Set(exampleRuns().map((r) => r.path.split('/')[0]))].join(',')}}/`;
    for (const r of runs) planned.push([r.path, r.content, `the example: ${runs.length} generated oha runs (2 environments × 2 concurrencies), not measurements`, group]);
  }
  planned.push([paths.template, templateCopy(input.template), "the report's template, a copy of mesh-report's default to edit"]);
  for (const [p, content, purpose, group] of planned) {
    if (exists(p) && !force) refusals.push(`\`${p}\` exists`);
    else files.push({ path: p, content, purpose, replaces: exists(p), ...(group === undefined ? {} : { group }) });
  }
  if (example && isStarter) {
    files.push({ path: marker, content: starterMarker(input.study, files), purpose: `records what init wrote, so that \`init --study NAME\` replaces this starter while it is unchanged`, replaces: exists(marker) });
  }
  if (exists(paths.out) && !force) refusals.push(`\`${paths.out}\` exists (a report of another study?)`);

  // 2. The starter, replaced when untouched, else kept (and said so).
  let replaced: InitPlan['replaced'] = null;
  if (!isStarter && input.starter) {
    const starterPaths = studyPaths(STARTER_STUDY);
    const changes = starterChanges(input.starter, input.config);
    if (changes.length === 0) {
      const own = [...Object.keys(input.starter.files), `${starterPaths.data}/${STARTER_MARKER}`];
      replaced = { study: STARTER_STUDY, files: [...own, ...input.starter.outputs.filter((p) => isOutputOf(p, starterPaths))].sort() };
    } else {
      kept.push({
        path: `${starterPaths.data}/`,
        why: `the starter study \`${STARTER_STUDY}\`, kept beside it: it was changed (${changes.join(', ')}). When it is no longer needed, delete ${starterPaths.data}/, ${starterPaths.template}, its report in docs/ and its entry in ${CONFIG_FILE}.`,
      });
    }
  }

  // 3. The configuration and the workflow.
  const config = extendConfig(input.config, paths, input.schemaDir, force, replaced === null ? null : studyPaths(replaced.study));
  if ('refusal' in config) refusals.push(config.refusal);
  else files.push({ path: CONFIG_FILE, content: config.content, purpose: `the report: ${paths.data} → ${paths.out} (+ .json)`, replaces: input.config !== null });
  let ciAdvice: string[] = [];
  if (exists(WORKFLOW_FILE) && !force) kept.push({ path: WORKFLOW_FILE, why: 'exists; left as it is (it checks every configured report)' });
  else {
    files.push({ path: WORKFLOW_FILE, content: workflowYaml(), purpose: 'CI: npx mesh-report --check on every pull request and push to main', replaces: exists(WORKFLOW_FILE) });
    ciAdvice = workflowAdvice(input.packageJson ?? null, input.lockFile ?? false);
  }
  return { paths, files, kept, refusals, badConfig: 'refusal' in config && config.unusable, example, replaced, ciAdvice };
}
