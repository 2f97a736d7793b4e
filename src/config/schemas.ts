/**
 * JSON Schemas of the two configuration files: the one source of truth for what they may hold.
 *
 * `scripts/generate-schemas.ts` writes them to `schema/*.schema.json` (what editors read through a
 * file's `$schema` key, to complete and explain keys) and compiles them into the standalone
 * validators of `validate-config.generated.ts` (what the CLI runs, so Ajv is not loaded at start-up);
 * a test fails when either is stale. The titles and descriptions say what each key means, as the
 * doc comments of `types.ts` do.
 */

import { METRIC_FILE_UNITS } from './types.ts';

/** The part of JSON Schema (draft-07) these schemas use. */
export interface JsonSchema {
  $schema?: string;
  title?: string;
  description?: string;
  type?: string | readonly string[];
  properties?: Readonly<Record<string, JsonSchema>>;
  additionalProperties?: boolean | JsonSchema;
  required?: readonly string[];
  items?: JsonSchema;
  minItems?: number;
  minLength?: number;
  pattern?: string;
  enum?: readonly (string | number)[];
  minimum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
  examples?: readonly unknown[];
}

/** The meta-schema both files are written against (the draft editors support best). */
export const SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';

const text = (description: string, more: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...more });

/** An object whose keys are free (`meta`, `aaScenarios`, `rateLimits`): values of one shape. */
const mapOf = (description: string, values: JsonSchema): JsonSchema => ({ type: 'object', description, additionalProperties: values });

/** An object with exactly the keys given. */
function record(description: string, properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: 'object', description, additionalProperties: false, ...(required.length > 0 ? { required } : {}), properties };
}

const listOf = (description: string, items: JsonSchema): JsonSchema => ({ type: 'array', description, items });

const schemaKey = (example: string): JsonSchema =>
  text(`Path (relative to this file) or URL of this file's JSON Schema, for editors to complete and explain keys, e.g. \`${example}\`. mesh-report ignores it.`);

const PATTERN_SYNTAX =
  'a path relative to the data folder where `{name}` is a named part (`{concurrency}` and `{requests}` match digits, the others match within one folder level), `{_}` matches and ignores, `*` matches anything within a folder level and `**` any folders';

/** A template over a rule's named parts, or a constant. */
const template = (what: string, fallback: string): JsonSchema =>
  text(`${what}: a template over the pattern's named parts (\`"vm-{app}"\`) or a constant (default: ${fallback}).`);

const wholeOrTemplate = (what: string, fallback: string): JsonSchema => ({
  type: ['string', 'integer'],
  description: `${what}: a template over the pattern's named parts, or a constant whole number (default: ${fallback}).`,
});

const layoutRule = record(
  'One way files are laid out: a pattern, and what its parts do not say.',
  {
    pattern: text(`Path pattern: ${PATTERN_SYNTAX}. Named parts other than environment, scenario, concurrency, requests, name and ext become labels of the run.`, {
      minLength: 1,
      examples: ['{environment}/{scenario}/{name}-{concurrency}-{requests}.{ext}', '{environment}/{scenario}/oha-z{duration}-{concurrency}.txt'],
    }),
    environment: template('Environment id', 'the `{environment}` part'),
    scenario: template('Scenario id', 'the `{scenario}` part'),
    concurrency: wholeOrTemplate('Concurrency (oha `-c`)', 'the `{concurrency}` part, else the oha command line in the file'),
    requests: wholeOrTemplate(
      'Requests (oha `-n`)',
      'the `{requests}` part, else the oha command line in the file, else the number of requests the summary accounts for',
    ),
    rate: {
      type: ['string', 'number'],
      description:
        'The oha `-q` target (requests/s) of the runs it places: a template over the pattern\'s named parts (`"{rate}"`) or a constant number (default: the `{rate}` part, else the oha command line in the file, else `rateLimits`, else the scenario\'s `rate`).',
    },
    duration: text(
      'The oha `-z` duration of the runs it places (they ran for a time: their request count is an outcome): a template over the pattern\'s named parts (`"{duration}"`) or a constant such as `"3m"` (default: the `{duration}` part, else the oha command line in the file, else the scenario\'s `duration`).',
    ),
  },
  ['pattern'],
);

const metricFileRule = record(
  'Where a metric export is and what it is: a pattern whose parts (or the templates and constants given here) say its environment, scenario, component and measure.',
  {
    pattern: text(`Path pattern: ${PATTERN_SYNTAX}.`, { minLength: 1, examples: ['{environment}/{scenario}/grafana/{component}-{measure}.csv'] }),
    environment: template('Environment id', 'the `{environment}` part'),
    scenario: template('Scenario id', 'the `{scenario}` part'),
    component: template('Component measured (`app`, `sidecar`, `cni`, `ingress` are shown first; any name)', 'the `{component}` part'),
    measure: template('What is measured, `cpu` or `memory`', 'the `{measure}` part'),
    unit: {
      enum: [...METRIC_FILE_UNITS],
      description:
        'Unit of the export\'s plain numbers (default: cores for CPU, bytes for memory). `ratio` (0–1) and `percent` (0–100) are CPU utilisation: with `cores` they become cores (times `cores`), without it they stay a utilisation.',
    },
    select: text(
      'A PromQL series selector (`{namespace="bookinfo", container!="POD", pod=~"productpage-.*"}`, with `=`, `!=`, `=~`, `!~`) applied to every series of the file before anything else. In a Grafana CSV each column (wide) or `Series` value (long) is a series labelled `series`.',
    ),
    cores: { type: 'number', exclusiveMinimum: 0, description: 'Cores that 100 % utilisation stands for, with `unit` `ratio` or `percent` (e.g. the node\'s vCPUs).' },
  },
  ['pattern'],
);

/** Schema of `dataset.json` (see {@link DatasetConfig}). */
export const datasetConfigSchema: JsonSchema = {
  $schema: SCHEMA_DRAFT,
  title: 'mesh-report dataset configuration (dataset.json)',
  description:
    'Describes a data folder of load-test results: how its files are laid out, the study\'s environments and scenarios, and analysis settings. Every key is optional; an unknown key is an error.',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: schemaKey('../../schema/dataset.schema.json'),
    title: text('Title of the study.'),
    baseline: text('Environment id the others are compared with (default: an environment called `baseline`, if any).'),
    timezone: text('IANA time zone of the `Started at` / `Finished at` lines and of local times in Grafana CSV exports (default: `UTC`).', {
      default: 'UTC',
      examples: ['Europe/London'],
    }),
    noiseFloor: { type: 'number', minimum: 0, default: 0.03, description: 'Noise floor, as a ratio, where the data has no A/A runs or repeats (default: `0.03`).' },
    errorBudget: {
      type: 'number',
      minimum: 0,
      exclusiveMaximum: 1,
      default: 0.001,
      description: 'Share of requests a run may fail (non-2xx, transport errors, missing) and still be compared (default: `0.001`, 0.1 %).',
    },
    layout: listOf(
      'Layout rules: path patterns with named parts, tried in order (default: `{environment}/{scenario}/{name}-{concurrency}-{requests}.{ext}`, then `{environment}/{scenario}/{name}.{ext}` for files whose oha command line gives the concurrency).',
      layoutRule,
    ),
    exclude: listOf('Globs (relative to the data folder) of files to leave out: warm-up runs, failed attempts.', text('A glob, e.g. `**/warm-up/**`.')),
    environments: listOf(
      'Environments in display order; unlisted ones follow, sorted by id.',
      record(
        'Display and metadata for one environment.',
        {
          id: text('Environment id, as the layout gives it.'),
          name: text('Name shown in the report (default: the id as written).'),
          meta: mapOf('Free-form metadata shown by the `environments` directive (mesh version, cluster, ...).', { type: 'string' }),
          prometheus: text('Base URL of this environment\'s Prometheus, where `fetch-metrics` queries its runs.', { pattern: '^https?://' }),
          aaCarriesOption: {
            type: 'boolean',
            default: false,
            description:
              'Whether the option under test also sits under this environment\'s A/A runs (a CNI such as Cilium, whose datapath carries unmeshed pods too): its change against its own A/A runs is then marked as not isolating the option (default: `false`).',
          },
        },
        ['id'],
      ),
    ),
    scenarios: listOf(
      'Scenarios in display order; unlisted ones follow, sorted by id.',
      record(
        'Display data for one scenario.',
        {
          id: text('Scenario id, as the layout gives it.'),
          name: text('Name shown in the report (default: the id as written).'),
          description: text('What the scenario measures, shown in the report.'),
          rate: { type: 'number', exclusiveMinimum: 0, description: 'The oha `-q` target (requests/s) of its runs, where their command line, path and `rateLimits` do not say it.' },
          duration: text('The oha `-z` duration of its runs (`"3m"`), where their command line and path do not say it: they ran for a time, their request count is an outcome.', {
            examples: ['3m', '30s'],
          }),
        },
        ['id'],
      ),
    ),
    baselineIsFloor: {
      type: 'boolean',
      default: true,
      description:
        'Whether the baseline adds nothing the options add to (no mesh), so that no option can be faster than it beyond the noise: where most comparisons show options beating it, the matrix says the data cannot rank them (default: `true`; `false` for a baseline that is an option like the others).',
    },
    aaScenarios: mapOf(
      'Meshed scenario id → the unmeshed scenario run in every cluster, whose runs are A/A data for the noise floor (default: none).',
      text('Id of the unmeshed scenario.'),
    ),
    rateLimits: mapOf(
      '`-q` rate target (requests/s) by scenario id, run id, or a glob over them (`"istio/**"`), for the saturation flag, for runs whose oha command line and path do not say it; a key that matches nothing is an error (default: none).',
      { type: 'number', exclusiveMinimum: 0, description: 'Requests per second.' },
    ),
    metrics: record('Where metric exports are and what they are, and the queries `fetch-metrics` runs.', {
      files: listOf(
        'Rules placing metric exports, tried in order before the default `{environment}/{scenario}/metrics/{component}-{measure}.{ext}`.',
        metricFileRule,
      ),
      queries: listOf(
        'Prometheus queries `fetch-metrics` runs for each run window.',
        record(
          'One query, run for every run window.',
          {
            component: text('Component the query measures (`app`, `sidecar`, ...).'),
            measure: { enum: ['cpu', 'memory'], description: 'What the query measures: `cpu` (cores) or `memory` (bytes).' },
            query: text('PromQL; `{environment}` and `{scenario}` are substituted.'),
          },
          ['component', 'measure', 'query'],
        ),
      ),
      headers: {
        ...mapOf(
          'Headers every `fetch-metrics` request carries, such as a tenant for Mimir, Cortex or a Thanos/VictoriaMetrics proxy: `{"X-Scope-OrgID": "tenant-a"}` (default: none). Not credentials: `Authorization` and `Cookie` are refused, use `auth`.',
          text('Header value (one line).', { pattern: '^[^\\r\\n]*$' }),
        ),
        examples: [{ 'X-Scope-OrgID': 'tenant-a' }],
      },
      auth: {
        type: 'object',
        description:
          'Credentials every `fetch-metrics` request carries; the secret is read from the environment variable `env` names, never from a file: `{"type": "bearer", "env": "PROM_TOKEN"}` or `{"type": "basic", "username": "reader", "env": "PROM_PASSWORD"}` (default: none).',
        additionalProperties: false,
        required: ['type', 'env'],
        properties: {
          type: { enum: ['bearer', 'basic'], description: '`bearer` (`Authorization: Bearer <token>`) or `basic` (user name and password).' },
          env: text('Name of the environment variable holding the token (`bearer`) or the password (`basic`).', { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
          username: text('User name of `basic` auth (required for it; not a secret).', { minLength: 1, pattern: '^[^:]*$' }),
        },
        examples: [{ type: 'bearer', env: 'PROM_TOKEN' }, { type: 'basic', username: 'reader', env: 'PROM_PASSWORD' }],
      },
      allowRedirectsTo: {
        ...listOf(
          'Origins a `fetch-metrics` request may be redirected to beyond its base URL\'s own (a redirect within that origin, or from http to https on its host, is always followed): `["https://thanos-eu.example"]` (default: none; a redirect to another origin is an error). Such a redirect is followed without `headers` and `auth`.',
          text('An origin: `http://` or `https://`, a host and an optional port, no path.', { pattern: '^https?://[^/?#@]+/?$' }),
        ),
        examples: [['https://thanos-eu.example', 'http://vmselect.example:8481']],
      },
    }),
    recommendations: listOf(
      'Rows of the recommendation matrix that data cannot decide (default: none).',
      record(
        'One row of the recommendation matrix.',
        {
          requirement: text('The requirement, e.g. `Compliance`.'),
          suggestion: text('What to choose for it.'),
          rationale: text('Why.'),
        },
        ['requirement', 'suggestion', 'rationale'],
      ),
    ),
  },
};

/** Schema of `mesh-report.config.json` (see {@link RepositoryConfig}). */
export const repositoryConfigSchema: JsonSchema = {
  $schema: SCHEMA_DRAFT,
  title: 'mesh-report configuration (mesh-report.config.json)',
  description: 'The reports mesh-report builds (`mesh-report build`; `npm run report` in its own repository). Paths are relative to this file.',
  type: 'object',
  additionalProperties: false,
  required: ['reports'],
  properties: {
    $schema: schemaKey('./schema/mesh-report.config.schema.json'),
    reports: {
      ...listOf(
        'Reports to build, in order.',
        record(
          'One report to build. Paths are relative to this file.',
          {
            template: text('Authored Markdown template with `<!-- report:NAME -->` directives.', { examples: ['templates/test-report.md'] }),
            data: text('Data folder: holds the raw files and, optionally, `dataset.json`.'),
            out: text('Markdown report to write.'),
            json: text('JSON sidecar to write (default: `out` with `.json`).'),
          },
          ['template', 'data', 'out'],
        ),
      ),
      minItems: 1,
    },
  },
};

/** The schema files in `schema/`, by file name. */
export const SCHEMA_FILES: Readonly<Record<string, JsonSchema>> = {
  'dataset.schema.json': datasetConfigSchema,
  'mesh-report.config.schema.json': repositoryConfigSchema,
};

/**
 * The keys an object at `path` (object keys and array indexes) may hold, in schema order; `null`
 * where the schema allows any key (a map such as `rateLimits`) or the path leaves the schema.
 */
export function knownKeys(schema: JsonSchema, path: ReadonlyArray<string | number>): string[] | null {
  let at: JsonSchema | undefined = schema;
  for (const step of path) {
    if (at === undefined) return null;
    if (typeof step === 'number') at = at.items;
    else at = at.properties?.[step] ?? (typeof at.additionalProperties === 'object' ? at.additionalProperties : undefined);
  }
  if (at?.properties === undefined || at.additionalProperties !== false) return null;
  return Object.keys(at.properties);
}
