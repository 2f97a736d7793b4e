/**
 * Reads and checks the configuration files: `mesh-report.config.json` and a data folder's `dataset.json`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DatasetConfig, RepositoryConfig } from '../config/types.ts';
import { datasetConfigSchema, repositoryConfigSchema, type JsonSchema } from '../config/schemas.ts';
import { validateDataset, validateRepository, type Validator } from '../config/validate-config.ts';
import { EXIT, ReportError, error, type Diagnostic } from '../diagnostics.ts';
import { compileGlob, GlobError, isGlob } from '../model/glob.ts';
import { isValidTimeZone } from '../model/time-zone.ts';
import { explainSchemaErrors } from './config-errors.ts';
import { jsonPathLine, type JsonPath } from './json-path-line.ts';
import { stripBom, tooDeepJsonLine, tooDeepJsonMessage } from '../json-text.ts';
import { durationSeconds } from './oha/command-line.ts';
import { MAX_CONFIG_BYTES, OversizeError, readFileWithin } from './input-size.ts';

/** Name of the dataset configuration file inside a data folder. */
export const DATASET_CONFIG_FILE = 'dataset.json';

/** 1-based line of the character at `offset`. */
function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** Reads and parses a JSON file; invalid JSON is a configuration error naming the line where it breaks. */
async function readJson(file: string, shown: string): Promise<{ text: string; value: unknown }> {
  let bytes: Buffer;
  try {
    bytes = readFileWithin(file, MAX_CONFIG_BYTES, 'a configuration', 'a configuration is names, rules and queries; move data into the data folder');
  } catch (e) {
    if (e instanceof OversizeError) throw new ReportError([error('config', shown, null, e.message)], EXIT.badTemplate);
    throw e;
  }
  const text = stripBom(bytes.toString('utf8'));
  const deep = tooDeepJsonLine(text);
  if (deep !== null) throw new ReportError([error('config', shown, deep, `Cannot read ${tooDeepJsonMessage(deep)}`)], EXIT.badInput);
  try {
    return { text, value: JSON.parse(text) };
  } catch (e) {
    const message = (e as Error).message;
    const position = /at position (\d+)/.exec(message);
    const line = position ? lineAt(text, Number(position[1])) : null;
    throw new ReportError([error('config', shown, line, `Cannot read JSON: ${message}`)], EXIT.badTemplate);
  }
}

/** Checks a parsed configuration against its schema; throws {@link ReportError} (exit 3) explaining each problem. */
function check<T>(validate: Validator<T>, schema: JsonSchema, shown: string, text: string, value: unknown): T {
  if (validate(value)) return value;
  throw new ReportError(explainSchemaErrors(shown, schema, text, value, validate.errors ?? []), EXIT.badTemplate);
}

/** Reads `dataset.json` from a data folder; an absent file is an empty configuration. */
export async function readDatasetConfig(dataDir: string, shownDir: string): Promise<DatasetConfig> {
  const file = path.join(dataDir, DATASET_CONFIG_FILE);
  const shown = path.posix.join(shownDir, DATASET_CONFIG_FILE);
  if (!existsSync(file)) return {};
  const { text, value } = await readJson(file, shown);
  const config = check(validateDataset, datasetConfigSchema, shown, text, value);
  if (config.timezone !== undefined && !isValidTimeZone(config.timezone)) {
    throw new ReportError(
      [error('config', shown, null, `Cannot use time zone \`${config.timezone}\`: expected an IANA name such as \`Europe/London\``)],
      EXIT.badTemplate,
    );
  }
  // Note: a layout rule's `duration` may be a template, checked when it is filled (see `placePath`).
  const durations = (config.scenarios ?? []).filter((s) => s.duration !== undefined && durationSeconds(s.duration) === null);
  if (durations.length > 0) {
    throw new ReportError(
      durations.map((s) => error('config', shown, null, `Cannot use \`duration\` \`${s.duration}\` of scenario \`${s.id}\`: expected an oha -z duration such as \`3m\`, \`30s\` or \`1m30s\``)),
      EXIT.badTemplate,
    );
  }
  const globs = globProblems(config, shown, text);
  if (globs.length > 0) throw new ReportError(globs, EXIT.badTemplate);
  return config;
}

/**
 * The `exclude` globs and glob `rateLimits` keys that cannot be used (a form that could backtrack,
 * braces expanding too far), each an error naming the key and why; a `rateLimits` key without glob
 * syntax is a plain id, whatever it holds.
 */
function globProblems(config: DatasetConfig, shown: string, text: string): Diagnostic[] {
  const globs: Array<{ glob: string; key: JsonPath; what: string }> = [
    ...(config.exclude ?? []).map((glob, i) => ({ glob, key: ['exclude', i], what: `\`exclude[${i}]\` glob` })),
    ...Object.keys(config.rateLimits ?? {})
      .filter(isGlob)
      .map((glob) => ({ glob, key: ['rateLimits', glob], what: '`rateLimits` key' })),
  ];
  return globs.flatMap(({ glob, key, what }) => {
    try {
      compileGlob(glob);
      return [];
    } catch (e) {
      if (!(e instanceof GlobError)) throw e;
      return [error('config', shown, jsonPathLine(text, key), `Cannot use ${what} \`${glob}\`: ${e.message}`)];
    }
  });
}

/** Reads the repository configuration listing the reports to build. */
export async function readRepositoryConfig(file: string, shown: string): Promise<RepositoryConfig> {
  if (!existsSync(file)) {
    throw new ReportError([error('config', shown, null, 'Cannot build reports without a configuration: the file does not exist')], EXIT.badTemplate);
  }
  const { text, value } = await readJson(file, shown);
  const config = check(validateRepository, repositoryConfigSchema, shown, text, value);
  // Note: a path no file can have is bad usage, as on the command line (`--out ""`), not a crash when opened.
  const unusable = config.reports.flatMap((report, i) =>
    (['data', 'template', 'out', 'json'] as const).flatMap((key) => {
      const p = report[key];
      if (p === undefined || (p !== '' && !p.includes('\0'))) return [];
      const why = p === '' ? 'a path, got an empty one' : `a path without a NUL character, got ${JSON.stringify(p)}`;
      return [error('config', shown, jsonPathLine(text, ['reports', i, key]), `Cannot use \`reports[${i}].${key}\`: expected ${why}`)];
    }),
  );
  if (unusable.length > 0) throw new ReportError(unusable, EXIT.usage);
  return config;
}
