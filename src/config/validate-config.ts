/**
 * The validators of the two configuration files, typed: Ajv's standalone code compiled from
 * `schemas.ts` by `scripts/generate-schemas.ts` (so the CLI does not load Ajv).
 */
import type { DatasetConfig, RepositoryConfig } from './types.ts';
import * as generated from './validate-config.generated.ts';

/** One problem a validator found (the shape of Ajv's `ErrorObject`). */
export interface SchemaError {
  /** JSON Pointer to the value, e.g. `/metrics/files/0`; empty for the whole file. */
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Checks a parsed file; after a `false`, `errors` lists every problem. */
export interface Validator<T> {
  (value: unknown): value is T;
  errors?: SchemaError[] | null;
}

/** Checks a parsed `dataset.json` against {@link datasetConfigSchema}. */
export const validateDataset = generated.validateDataset as unknown as Validator<DatasetConfig & { $schema?: string }>;

/** Checks a parsed `mesh-report.config.json` against {@link repositoryConfigSchema}. */
export const validateRepository = generated.validateRepository as unknown as Validator<RepositoryConfig & { $schema?: string }>;
