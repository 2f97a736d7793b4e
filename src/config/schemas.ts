/**
 * JSON Schemas of the two configuration files, checked with Ajv so that a typo in a key is an error
 * naming the key, not a silently ignored setting.
 */

import { METRIC_FILE_UNITS } from './types.ts';

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

/** A list of path-pattern rules (`layout`, `metrics.files`): a pattern, environment and scenario, and `more`. */
function patternRules<const More extends Record<string, object>>(more: More) {
  return {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['pattern'],
      properties: { pattern: { type: 'string', minLength: 1 }, environment: { type: 'string' }, scenario: { type: 'string' }, ...more },
    },
  } as const;
}

/** Schema of `dataset.json` (see {@link DatasetConfig}). */
export const datasetConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    title: { type: 'string' },
    baseline: { type: 'string' },
    timezone: { type: 'string' },
    noiseFloor: { type: 'number', minimum: 0 },
    errorBudget: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
    layout: patternRules({
      concurrency: { type: ['string', 'integer'] },
      requests: { type: ['string', 'integer'] },
    }),
    exclude: { type: 'array', items: { type: 'string' } },
    environments: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id'],
        properties: { id: { type: 'string' }, name: { type: 'string' }, meta: stringMap, prometheus: { type: 'string', pattern: '^https?://' } },
      },
    },
    scenarios: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id'],
        properties: { id: { type: 'string' }, name: { type: 'string' }, description: { type: 'string' } },
      },
    },
    aaScenarios: stringMap,
    rateLimits: { type: 'object', additionalProperties: { type: 'number', exclusiveMinimum: 0 } },
    metrics: {
      type: 'object',
      additionalProperties: false,
      properties: {
        files: patternRules({
          component: { type: 'string' },
          measure: { type: 'string' },
          unit: { enum: [...METRIC_FILE_UNITS] },
          select: { type: 'string' },
          cores: { type: 'number', exclusiveMinimum: 0 },
        }),
        queries: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['component', 'measure', 'query'],
            properties: { component: { type: 'string' }, measure: { enum: ['cpu', 'memory'] }, query: { type: 'string' } },
          },
        },
      },
    },
    recommendations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['requirement', 'suggestion', 'rationale'],
        properties: { requirement: { type: 'string' }, suggestion: { type: 'string' }, rationale: { type: 'string' } },
      },
    },
  },
} as const;

/** Schema of `mesh-report.config.json` (see {@link RepositoryConfig}). */
export const repositoryConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['reports'],
  properties: {
    $schema: { type: 'string' },
    reports: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['template', 'data', 'out'],
        properties: {
          template: { type: 'string' },
          data: { type: 'string' },
          out: { type: 'string' },
          json: { type: 'string' },
        },
      },
    },
  },
} as const;
