/**
 * Reads and checks the configuration files: `mesh-report.config.json` and a data folder's `dataset.json`.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import type { DatasetConfig, RepositoryConfig } from '../config/types.ts';
import { datasetConfigSchema, repositoryConfigSchema } from '../config/schemas.ts';
import { EXIT, ReportError, error, type Diagnostic } from '../diagnostics.ts';
import { isValidTimeZone } from '../model/time-zone.ts';

/** Name of the dataset configuration file inside a data folder. */
export const DATASET_CONFIG_FILE = 'dataset.json';

const ajv = new Ajv({ allErrors: true, strict: false });
const validateDataset = ajv.compile<DatasetConfig>(datasetConfigSchema);
const validateRepository = ajv.compile<RepositoryConfig>(repositoryConfigSchema);

function schemaDiagnostics(file: string, errors: ErrorObject[] | null | undefined): Diagnostic[] {
  return (errors ?? []).map((e) => {
    const where = e.instancePath || '(top level)';
    const extra = e.keyword === 'additionalProperties' ? ` \`${String(e.params.additionalProperty)}\`` : '';
    return error('config', file, null, `Cannot use ${where}: it ${e.message ?? 'is invalid'}${extra}`);
  });
}

async function readJson(file: string, shown: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ReportError([error('config', shown, null, `Cannot read JSON: ${(e as Error).message}`)], EXIT.badTemplate);
  }
}

/** Reads `dataset.json` from a data folder; an absent file is an empty configuration. */
export async function readDatasetConfig(dataDir: string, shownDir: string): Promise<DatasetConfig> {
  const file = path.join(dataDir, DATASET_CONFIG_FILE);
  const shown = path.posix.join(shownDir, DATASET_CONFIG_FILE);
  if (!existsSync(file)) return {};
  const value = await readJson(file, shown);
  if (!validateDataset(value)) throw new ReportError(schemaDiagnostics(shown, validateDataset.errors), EXIT.badTemplate);
  if (value.timezone !== undefined && !isValidTimeZone(value.timezone)) {
    throw new ReportError(
      [error('config', shown, null, `Cannot use time zone \`${value.timezone}\`: expected an IANA name such as \`Europe/London\``)],
      EXIT.badTemplate,
    );
  }
  return value;
}

/** Reads the repository configuration listing the reports to build. */
export async function readRepositoryConfig(file: string, shown: string): Promise<RepositoryConfig> {
  if (!existsSync(file)) {
    throw new ReportError([error('config', shown, null, 'Cannot build reports without a configuration: the file does not exist')], EXIT.badTemplate);
  }
  const value = await readJson(file, shown);
  if (!validateRepository(value)) throw new ReportError(schemaDiagnostics(shown, validateRepository.errors), EXIT.badTemplate);
  return value;
}
