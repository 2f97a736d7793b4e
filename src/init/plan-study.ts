/**
 * What `mesh-report init` writes to start a study in a repository: the data folder's
 * `dataset.json`, a copy of the default template, the report's entry in `mesh-report.config.json`
 * and a CI workflow. Pure: the caller reads what exists and writes the plan.
 */
import { CONFIG_FILE } from '../site/site-files.ts';

/** The default layout of a data folder, as the printed next steps and `dataset.json` show it. */
export const DEFAULT_LAYOUT = ['{environment}/{scenario}/{name}-{concurrency}-{requests}.{ext}', '{environment}/{scenario}/{name}.{ext}'] as const;

/** The workflow `init` writes, shared by every study of the repository. */
export const WORKFLOW_FILE = '.github/workflows/mesh-report.yml';


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
}

/** One file to write. */
export interface PlannedFile {
  path: string;
  content: string;
  /** What it is, for the summary `init` prints. */
  purpose: string;
  /** Whether it exists and is replaced (`--force`) or extended (the configuration). */
  replaces: boolean;
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
}

/** The report entry of a study in `mesh-report.config.json`. */
function reportEntry(paths: StudyPaths) {
  return { template: paths.template, data: paths.data, out: paths.out, json: paths.json };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The `dataset.json` of a new study: its title, the baseline and the layout spelled out. */
export function datasetJson(study: string, schemaDir: string): string {
  return json({
    $schema: `../../${schemaDir}/dataset.schema.json`,
    title: study,
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

/**
 * The configuration with the study's report added (or, with `force`, put in place of the entry
 * that had the same data, output or sidecar); a refusal when the text is not a configuration or
 * already lists the study.
 */
function extendConfig(text: string | null, paths: StudyPaths, schemaDir: string, force: boolean): { content: string } | { refusal: string; unusable: boolean } {
  const entry = reportEntry(paths);
  if (text === null) return { content: json({ $schema: `./${schemaDir}/mesh-report.config.schema.json`, reports: [entry] }) };
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (e) {
    return { refusal: `Cannot add the report to ${CONFIG_FILE}: expected JSON, got ${(e as Error).message}; fix it or move it away`, unusable: true };
  }
  const reports = (config as { reports?: unknown } | null)?.reports;
  if (typeof config !== 'object' || config === null || Array.isArray(config) || !Array.isArray(reports)) {
    return { refusal: `Cannot add the report to ${CONFIG_FILE}: expected an object with a \`reports\` list; fix it or move it away`, unusable: true };
  }
  const same = (r: unknown) => {
    const report = r as Record<string, unknown> | null;
    return report !== null && typeof report === 'object' && [report.data, report.out, report.json].some((p) => typeof p === 'string' && [paths.data, paths.out, paths.json].includes(p.replace(/^\.\//, '').replace(/\/$/, '')));
  };
  const at = reports.findIndex(same);
  if (at >= 0 && !force) {
    return { refusal: `${CONFIG_FILE} already lists a report of \`${paths.data}\` or into \`${paths.out}\` (report ${at + 1})`, unusable: false };
  }
  const kept = reports.filter((r) => !same(r));
  kept.splice(at >= 0 ? at : kept.length, 0, entry);
  return { content: json({ ...(config as Record<string, unknown>), reports: kept }) };
}

/**
 * Plans the files of a new study. Nothing is to be written when {@link InitPlan.refusals} is not
 * empty: a file of the study that exists (unless `force`), or a configuration that cannot take the
 * report. The workflow, shared by the studies, is kept when it exists (replaced with `force`).
 */
export function planStudy(input: InitInput): InitPlan {
  const force = input.force ?? false;
  const paths = studyPaths(input.study);
  const files: PlannedFile[] = [];
  const kept: InitPlan['kept'] = [];
  const refusals: string[] = [];
  const exists = (p: string) => input.existing.has(p);
  for (const [p, content, purpose] of [
    [paths.dataset, datasetJson(input.study, input.schemaDir), 'the study: title, baseline, layout (with $schema, so editors complete its keys)'],
    [paths.template, templateCopy(input.template), "the report's template, a copy of mesh-report's default to edit"],
  ] as const) {
    if (exists(p) && !force) refusals.push(`\`${p}\` exists`);
    else files.push({ path: p, content, purpose, replaces: exists(p) });
  }
  if (exists(paths.out) && !force) refusals.push(`\`${paths.out}\` exists (a report of another study?)`);
  const config = extendConfig(input.config, paths, input.schemaDir, force);
  if ('refusal' in config) refusals.push(config.refusal);
  else files.push({ path: CONFIG_FILE, content: config.content, purpose: `the report: ${paths.data} → ${paths.out} (+ .json)`, replaces: input.config !== null });
  if (exists(WORKFLOW_FILE) && !force) kept.push({ path: WORKFLOW_FILE, why: 'exists; left as it is (it checks every configured report)' });
  else files.push({ path: WORKFLOW_FILE, content: workflowYaml(), purpose: 'CI: npx mesh-report --check on every pull request and push to main', replaces: exists(WORKFLOW_FILE) });
  return { paths, files, kept, refusals, badConfig: 'refusal' in config && config.unusable };
}
