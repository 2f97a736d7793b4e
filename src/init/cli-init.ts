/**
 * `mesh-report init`: starts a study in the repository it is run in (what it writes is planned by
 * `plan-study.ts`) and prints the next steps. The only module of init that reads the command line
 * or the disk, or ends the process.
 */
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readArgs, userCwd } from '../cli-args.ts';
import { EXIT, FileError, toFileError } from '../diagnostics.ts';
import { CONFIG_FILE } from '../site/site-files.ts';
import { type InitPlan, WORKFLOW_FILE, invalidStudyName, planStudy, studyPaths } from './plan-study.ts';

/** The package's root folder (`dist/init/../..`). */
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the schemas are once mesh-report is installed in a repository. */
const INSTALLED_SCHEMAS = 'node_modules/mesh-report/schema';

const HELP = `Usage: mesh-report init [--study NAME] [--force]

Starts a load-test study in this repository (the working folder). It writes

  network-tests/NAME/dataset.json     the study: title, baseline, layout, and a $schema so
                                      editors complete its keys
  templates/NAME.md                   a copy of mesh-report's default template, to edit
  ${CONFIG_FILE.padEnd(36)}the report's entry (the file is created, or extended)
  ${WORKFLOW_FILE.padEnd(36)}CI: npx mesh-report --check, then the site
                                      (kept as it is when it exists)

and prints where to put the oha outputs and how to build the report (docs/NAME.md).
It writes nothing when a file of the study exists or the configuration already lists it.

Options:
  --study NAME   name of the study, its data folder and its report (default: my-study)
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
function describe(plan: InitPlan, study: string, installed: boolean): string {
  const { paths } = plan;
  const width = Math.max(...[...plan.files, ...plan.kept].map((f) => f.path.length)) + 2;
  let text = `Started the study \`${study}\`:\n`;
  for (const f of plan.files) text += `  ${f.path.padEnd(width)}${f.replaces ? (f.path === CONFIG_FILE ? '(extended) ' : '(replaced) ') : ''}${f.purpose}\n`;
  for (const k of plan.kept) text += `  ${k.path.padEnd(width)}${k.why}\n`;
  const steps: string[] = [];
  if (!installed) {
    steps.push(`Install mesh-report in this repository, where the $schema paths and the workflow expect it:
       npm install --save-dev mesh-report`);
  }
  steps.push(`Put each oha output of the study in ${paths.data}/, one file per run, as
       <environment>/<scenario>/<name>-<concurrency>-<requests>.txt
     for example
       ${paths.data}/baseline/pod-to-service/oha-64-100000.txt
       ${paths.data}/istio/pod-to-service/oha-64-100000.txt
     The environment \`baseline\` is the one the others are compared with (\`baseline\` in dataset.json).
     oha's JSON (.json), per-request CSV (.csv) and SQLite (.db) outputs work too, and a pasted
     session whose oha command lines give -c and -n may be <environment>/<scenario>/<name>.txt.`);
  steps.push(`Build the report:
       npx mesh-report
     It writes ${paths.out}, its sidecar ${paths.json} and the charts in ${paths.charts}.`);
  steps.push(`Commit the data, the template and docs/; CI fails a pull request whose report is out of date.`);
  return `${text}\nNext steps:\n${steps.map((s, i) => `  ${i + 1}. ${s}\n`).join('')}`;
}

/** Runs `mesh-report init` with `argv`; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const values = readArgs(argv, { study: { type: 'string', default: 'my-study' }, force: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } }, HELP);
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
  const config = existsSync(configFile) ? await readFile(configFile, 'utf8') : null;
  const template = await readFile(path.join(PACKAGE_ROOT, 'templates', 'test-report.md'), 'utf8');
  const { schemaDir, installed } = locateSchemas(root);
  const plan = planStudy({ study: values.study, schemaDir, template, config, existing, force: values.force });
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
  process.stdout.write(describe(plan, values.study, installed));
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
