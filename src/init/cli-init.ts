/**
 * `mesh-report init`: starts a study in the repository it is run in (what it writes is planned by
 * `plan-study.ts`) and prints the next steps. The only module of init that reads the command line
 * or the disk, or ends the process.
 */
import { stripBom } from '../json-text.ts';
import { createHash } from 'node:crypto';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readArgs, userCwd } from '../cli-args.ts';
import { EXIT, FileError, toFileError } from '../diagnostics.ts';
import { CONFIG_FILE } from '../site/site-files.ts';
import { type InitPlan, type StarterOnDisk, STARTER_MARKER, STARTER_STUDY, WORKFLOW_FILE, declaredSpec, invalidStudyName, planStudy, studyPaths } from './plan-study.ts';

/** The package's root folder (`dist/init/../..`). */
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the schemas are once mesh-report is installed in a repository. */
const INSTALLED_SCHEMAS = 'node_modules/mesh-report/schema';

const HELP = `Usage: mesh-report init [--study NAME] [--force]

Starts a load-test study in this repository (the working folder), one that builds at once. It writes

  network-tests/NAME/dataset.json     the study: title, baseline, layout, and a $schema so
                                      editors complete its keys
  network-tests/NAME/...              a generated example (4 oha runs and a README saying so),
                                      unless the folder holds data already
  templates/NAME.md                   a copy of mesh-report's default template, to edit
  ${CONFIG_FILE.padEnd(36)}the report's entry (the file is created, or extended)
  ${WORKFLOW_FILE.padEnd(36)}CI: npx mesh-report --check, then the site
                                      (kept as it is when it exists)

and prints where to put the oha outputs and how to build the report (docs/NAME.md).
It writes nothing when a file of the study exists or the configuration already lists it.
Without --study it starts the starter study \`${STARTER_STUDY}\`; a later \`init --study NAME\` replaces
the starter while it is as init wrote it, and keeps it (saying so) once it was changed.
When package.json takes mesh-report from a file or folder CI cannot have, it says what to change.

Options:
  --study NAME   name of the study, its data folder and its report (default: ${STARTER_STUDY})
  --force        replace the files that exist, and the study's entry in ${CONFIG_FILE}
  --help         show this help

Exit codes:
  ${EXIT.ok}   ok
  ${EXIT.badTemplate}   ${CONFIG_FILE} exists but is not a configuration to add a report to
  ${EXIT.usage}  bad usage, including a study name that cannot name a folder
  ${EXIT.internal}  internal error (a bug of mesh-report)
  ${EXIT.cannotWrite}  a file of the study exists, or the study is configured already (nothing was
      written); or a file cannot be written
`;

/**
 * The folder of mesh-report's schemas as the repository at `root` sees it (with `/`), and whether
 * it is there: the installed package's; else, when `root` holds this package (its own repository),
 * its `schema/`; else where installing the package will put them.
 */
function locateSchemas(root: string): { schemaDir: string; installed: boolean } {
  if (existsSync(path.join(root, INSTALLED_SCHEMAS, 'dataset.schema.json'))) return { schemaDir: INSTALLED_SCHEMAS, installed: true };
  const own = path.relative(realpathSync(root), realpathSync(PACKAGE_ROOT)).split(path.sep);
  if (own[0] !== '..' && !path.isAbsolute(own.join(path.sep)) && !own.includes('node_modules')) {
    return { schemaDir: [...own.filter(Boolean), 'schema'].join('/'), installed: true };
  }
  return { schemaDir: INSTALLED_SCHEMAS, installed: false };
}

/** What was written, and what to do next. */
function describe(plan: InitPlan, study: string, install: string | null): string {
  const { paths } = plan;
  const listed: { path: string; note: string }[] = [];
  const groups = new Set<string>();
  for (const f of plan.files) {
    if (f.group !== undefined && groups.has(f.group)) continue;
    if (f.group !== undefined) groups.add(f.group);
    listed.push({ path: f.group ?? f.path, note: `${f.replaces ? (f.path === CONFIG_FILE ? '(extended) ' : '(replaced) ') : ''}${f.purpose}` });
  }
  if (plan.replaced !== null) {
    const starter = studyPaths(plan.replaced.study);
    listed.push({ path: `${starter.data}/`, note: `(removed) the starter study \`${plan.replaced.study}\`, unchanged since init wrote it, with ${starter.template}, its report and its entry in ${CONFIG_FILE}` });
  }
  for (const k of plan.kept) listed.push({ path: k.path, note: k.why });
  const width = Math.max(...listed.map((l) => l.path.length)) + 2;
  let text = `Started the study \`${study}\`${plan.example ? ', with a generated example so that it builds as it is' : ''}:\n`;
  for (const l of listed) text += `  ${l.path.padEnd(width)}${l.note}\n`;
  if (install !== null) text += `\nFirst, ${install}\n`;
  const steps: string[] = [];
  const exampleFolders = [...new Set(plan.files.filter((f) => f.group !== undefined).map((f) => f.path.split('/').slice(0, 3).join('/')))];
  const intro = plan.example ? `Put your data in place of the example. Delete its runs:
       rm -r ${exampleFolders.join(' ')}
     then put each` : 'Put each';
  steps.push(`${intro} oha output of the study in ${paths.data}/, one file per run, as
       <environment>/<scenario>/<name>-<concurrency>-<requests>.txt
     for example
       ${paths.data}/baseline/pod-to-service/oha-64-100000.txt
       ${paths.data}/istio/pod-to-service/oha-64-100000.txt
     The environment \`baseline\` is the one the others are compared with (\`baseline\` in dataset.json).
     oha's JSON (.json), per-request CSV (.csv) and SQLite (.db) outputs work too, and a pasted
     session whose oha command lines give -c and -n may be <environment>/<scenario>/<name>.txt.${plan.example ? `\n     Give the study its title in ${paths.dataset}, and replace its README.md.` : ''}`);
  steps.push(`Build the report${plan.example ? ' (it builds now too, from the example)' : ''}:
       npx mesh-report
     It writes ${paths.out}, its sidecar ${paths.json} and the charts in ${paths.charts}.`);
  steps.push(`Read ${paths.out} (GitHub shows it with its charts). Commit the data, the template and docs/:
     CI fails a pull request whose report is out of date.`);
  text += `\nNext steps:\n${steps.map((s, i) => `  ${i + 1}. ${s}\n`).join('')}`;
  if (plan.ciAdvice.length > 0) text += `\nFor the workflow (${WORKFLOW_FILE}):\n${plan.ciAdvice.map((a) => `  - ${a}\n`).join('')}`;
  return text;
}

/** The files under folder `dir` of `root` (relative to `root`, with `/`, sorted); none when it does not exist. */
async function filesUnder(root: string, dir: string): Promise<string[]> {
  const at = path.join(root, dir);
  if (!existsSync(at)) return [];
  const entries = await readdir(at, { recursive: true });
  return entries
    .filter((e) => !statSync(path.join(at, e), { throwIfNoEntry: false })?.isDirectory())
    .map((e) => `${dir}/${e.split(path.sep).join('/')}`)
    .sort();
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The starter study on disk when it has a marker: its files' hashes and its last build's outputs; else null. */
async function readStarter(root: string): Promise<StarterOnDisk | null> {
  const paths = studyPaths(STARTER_STUDY);
  const markerPath = `${paths.data}/${STARTER_MARKER}`;
  if (!existsSync(path.join(root, markerPath))) return null;
  const files: Record<string, string> = {};
  for (const p of [...(await filesUnder(root, paths.data)).filter((p) => p !== markerPath), paths.template]) {
    if (existsSync(path.join(root, p))) files[p] = sha256(await readFile(path.join(root, p)));
  }
  const manifest = path.join(root, paths.out.replace(/\.md$/, '.outputs.json'));
  let outputs: string[] = [];
  if (existsSync(manifest)) {
    const listed = (JSON.parse(await readFile(manifest, 'utf8')) as { files?: unknown }).files;
    const dir = path.posix.dirname(paths.out);
    outputs = [paths.out, paths.json, path.relative(root, manifest).split(path.sep).join('/')];
    if (Array.isArray(listed)) outputs.push(...listed.filter((f): f is string => typeof f === 'string').map((f) => path.posix.join(dir, f)));
  }
  return { marker: await readFile(path.join(root, markerPath), 'utf8'), files, outputs };
}

/** Deletes `files` (relative to `root`), then the folders they leave empty, up to the top folders of the repository. */
async function removeFiles(root: string, files: string[]): Promise<void> {
  const folders = new Set<string>();
  for (const f of files) {
    await rm(path.join(root, f), { force: true });
    for (let dir = path.posix.dirname(f); dir.includes('/') && dir !== 'docs/charts'; dir = path.posix.dirname(dir)) folders.add(dir);
  }
  // Note: the deepest first, so that a folder is empty once its subfolders are gone.
  for (const dir of [...folders].sort((a, b) => b.split('/').length - a.split('/').length)) {
    await rmdir(path.join(root, dir)).catch(() => undefined);
  }
}

/** Runs `mesh-report init` with `argv`; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const values = readArgs(argv, { study: { type: 'string', default: STARTER_STUDY }, force: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } }, HELP, ['study']);
  if (typeof values === 'number') return values;
  const invalid = invalidStudyName(values.study);
  if (invalid !== null) {
    process.stderr.write(`${invalid}\n\n${HELP}`);
    return EXIT.usage;
  }
  const root = userCwd();
  const paths = studyPaths(values.study);
  const existing = new Set([paths.dataset, paths.template, paths.out, WORKFLOW_FILE].filter((p) => existsSync(path.join(root, p))));
  const configFile = path.join(root, CONFIG_FILE);
  const config = existsSync(configFile) ? stripBom(await readFile(configFile, 'utf8')) : null;
  const packageFile = path.join(root, 'package.json');
  const packageJson = existsSync(packageFile) ? stripBom(await readFile(packageFile, 'utf8')) : null;
  const template = await readFile(path.join(PACKAGE_ROOT, 'templates', 'test-report.md'), 'utf8');
  const { schemaDir, installed } = locateSchemas(root);
  const plan = planStudy({
    study: values.study,
    schemaDir,
    template,
    config,
    existing,
    force: values.force,
    dataFiles: await filesUnder(root, paths.data),
    starter: values.study === STARTER_STUDY ? null : await readStarter(root),
    packageJson,
    lockFile: ['package-lock.json', 'npm-shrinkwrap.json'].some((f) => existsSync(path.join(root, f))),
  });
  if (plan.refusals.length > 0) {
    process.stderr.write(`Cannot start the study \`${values.study}\`; nothing was written:\n${plan.refusals.map((r) => `  ${r}\n`).join('')}`);
    if (!plan.badConfig) process.stderr.write('Choose another --study, or add --force to replace them.\n');
    return plan.badConfig ? EXIT.badTemplate : EXIT.cannotWrite;
  }
  for (const file of plan.files) {
    const target = path.join(root, file.path);
    try {
      await mkdir(path.dirname(target), { recursive: true });
      // Note: `wx` fails rather than overwrite a file made since it was looked for.
      await writeFile(target, file.content, { flag: file.replaces ? 'w' : 'wx' });
    } catch (e) {
      throw toFileError(e, 'write', target);
    }
  }
  if (plan.replaced !== null) await removeFiles(root, plan.replaced.files);
  const declared = declaredSpec(packageJson) !== null;
  const install = declared
    ? installed
      ? null
      : 'install the dependencies (the $schema paths point into node_modules/mesh-report):\n       npm install'
    : `install mesh-report in this repository, where the $schema paths and the workflow expect it:
       npm install --save-dev mesh-report
     and commit package.json and package-lock.json: the workflow installs from them with \`npm ci\`.`;
  process.stdout.write(describe(plan, values.study, install));
  return EXIT.ok;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Note: setting the code rather than exiting lets stdout drain into a pipe.
  process.exitCode = await main(process.argv.slice(2)).catch((e: unknown) => {
    const failure = toFileError(e, 'read');
    if (failure instanceof FileError) {
      process.stderr.write(`init: ${failure.describe((p) => path.relative(userCwd(), p) || p)}\n`);
      return failure.exitCode;
    }
    process.stderr.write(`init: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.internal;
  });
}
