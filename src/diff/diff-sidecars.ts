/**
 * What changed between two JSON sidecars: runs matched by what they measured (not where their
 * files are), every figure compared, each change with its absolute and relative delta and whether
 * it is beyond the noise floor. Pure.
 */
import { PERCENTILE_KEYS } from '../model/types.ts';
import { SIDECAR_SCHEMA_VERSION } from '../render/render-sidecar.ts';

/** The sidecar `schemaVersion`s the diff reads. */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = [SIDECAR_SCHEMA_VERSION];

/** Default noise floor: relative changes up to 3% are within run-to-run noise. */
export const DEFAULT_NOISE_FLOOR = 0.03;

/** A sidecar could not be read as one: the message says what was expected where. */
export class SidecarShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SidecarShapeError';
  }
}

/** One run of a sidecar, as the diff sees it: its identity and its figures by name. */
export interface DiffRun {
  id: string;
  environment: string;
  scenario: string;
  concurrency: number;
  labels: Record<string, string>;
  file: string;
  index: number;
  /** Figure name (`requestsPerSec`, `percentiles.p99`, `statusCodes.503`, `flags.non-2xx`, ...) → value in SI units (a flag is 1). */
  figures: Map<string, number | null>;
}

/** A sidecar as the diff sees it: runs, and display names of environments and scenarios. */
export interface DiffSide {
  runs: DiffRun[];
  environmentNames: Record<string, string>;
  scenarioNames: Record<string, string>;
}

/** Where a run is: enough to find it in the report and in the raw files. */
export interface RunRef {
  id: string;
  environment: string;
  scenario: string;
  concurrency: number;
  file: string;
  index: number;
}

/** One figure of one run that differs. Values in SI units (seconds, bytes, requests per second, ratio). */
export interface FigureChange {
  run: RunRef;
  /** Figure name, e.g. `requestsPerSec`, `percentiles.p99`, `statusCodes.503`, `details.firstByte.average`. */
  figure: string;
  from: number | null;
  to: number | null;
  /** `to − from`; null when either is missing. */
  absolute: number | null;
  /** `(to − from) / |from|`; null when either is missing or `from` is 0. */
  relative: number | null;
  /** Whether |relative| exceeds the noise floor (a figure that appears or disappears always does). */
  beyondNoise: boolean;
}

/** The difference between two sidecars. */
export interface SidecarDiff {
  noiseFloor: number;
  /** Changed figures: runs in the order of the newer sidecar, figures in a fixed order. */
  changes: FigureChange[];
  /** Runs only in the newer sidecar, in its order. */
  added: RunRef[];
  /** Runs only in the older sidecar, in its order. */
  removed: RunRef[];
  /** Runs present in both. */
  matched: number;
  environmentNames: Record<string, string>;
  scenarioNames: Record<string, string>;
}

/** Options of {@link diffSidecars}. */
export interface DiffOptions {
  /** Relative change, as a ratio, above which a change counts as beyond noise (default: `0.03`). */
  noiseFloor?: number;
}

/** Scalar figures of a run, in the order a diff lists them. */
export const SCALAR_FIGURES = [
  'requests',
  'total',
  'requestsPerSec',
  'successRate',
  'slowest',
  'fastest',
  'average',
  'totalData',
  'sizePerRequest',
  'sizePerSec',
] as const;

const DETAIL_PHASES = ['dnsDialup', 'dnsLookup', 'firstByte'] as const;
const DETAIL_STATS = ['average', 'fastest', 'slowest'] as const;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function expect<T>(ok: boolean, value: T, where: string, what: string): T {
  if (!ok) throw new SidecarShapeError(`Cannot read ${where}: expected ${what}, got \`${JSON.stringify(value) ?? String(value)}\``);
  return value;
}

function num(v: unknown, where: string): number | null {
  if (v === null) return null;
  return expect(typeof v === 'number' && Number.isFinite(v), v as number, where, 'a number or null');
}

function str(v: unknown, where: string): string {
  return expect(typeof v === 'string', v as string, where, 'a string');
}

function obj(v: unknown, where: string): Json {
  return expect(isObject(v), v as Json, where, 'an object');
}

function readFigures(run: Json, where: string): Map<string, number | null> {
  const figures = new Map<string, number | null>();
  for (const key of SCALAR_FIGURES) figures.set(key, num(run[key], `${where}.${key}`));
  const percentiles = obj(run.percentiles, `${where}.percentiles`);
  const pKeys = [...PERCENTILE_KEYS, ...Object.keys(percentiles).filter((k) => !(PERCENTILE_KEYS as readonly string[]).includes(k)).sort()];
  for (const key of pKeys) {
    if (key in percentiles) figures.set(`percentiles.${key}`, num(percentiles[key], `${where}.percentiles.${key}`));
  }
  const details = obj(run.details, `${where}.details`);
  for (const phase of DETAIL_PHASES) {
    const d = details[phase];
    if (d === null || d === undefined) {
      for (const stat of DETAIL_STATS) figures.set(`details.${phase}.${stat}`, null);
      continue;
    }
    const detail = obj(d, `${where}.details.${phase}`);
    for (const stat of DETAIL_STATS) figures.set(`details.${phase}.${stat}`, num(detail[stat], `${where}.details.${phase}.${stat}`));
  }
  for (const group of ['statusCodes', 'errors'] as const) {
    const counts = obj(run[group], `${where}.${group}`);
    for (const key of Object.keys(counts).sort()) figures.set(`${group}.${key}`, num(counts[key], `${where}.${group}.${key}`));
  }
  // Note: sidecars before the analysis stage have no `flags`.
  if (run.flags !== undefined) {
    const flags = expect(Array.isArray(run.flags), run.flags, `${where}.flags`, 'an array') as unknown[];
    const rules = flags.map((f, i) => str(obj(f, `${where}.flags[${i}]`).rule, `${where}.flags[${i}].rule`));
    for (const rule of [...new Set(rules)].sort()) figures.set(`flags.${rule}`, 1);
  }
  return figures;
}

function names(list: unknown, where: string): Record<string, string> {
  if (!Array.isArray(list)) return {};
  const out: Record<string, string> = {};
  for (const [i, item] of list.entries()) {
    const e = obj(item, `${where}[${i}]`);
    out[str(e.id, `${where}[${i}].id`)] = str(e.name, `${where}[${i}].name`);
  }
  return out;
}

/**
 * Reads a parsed sidecar (`JSON.parse` of `docs/test-report.json`) for diffing. `name` is how the
 * file is named in messages. Throws {@link SidecarShapeError} for a `schemaVersion` it does not
 * read (or none), or naming the first value it cannot read.
 */
export function readDiffSide(value: unknown, name: string): DiffSide {
  const root = obj(value, `\`${name}\``);
  const version = root.schemaVersion;
  if (!READABLE_SCHEMA_VERSIONS.includes(version as number)) {
    const got = version === undefined ? 'no `schemaVersion`' : `\`"schemaVersion": ${JSON.stringify(version)}\``;
    const versions = READABLE_SCHEMA_VERSIONS.map((v) => `\`${v}\``).join(', ');
    throw new SidecarShapeError(`Cannot read \`${name}\`: expected a mesh-report sidecar of \`schemaVersion\` ${versions} (the versions this diff reads), got ${got}`);
  }
  const runs = expect(Array.isArray(root.runs), root.runs, `\`${name}\` runs`, 'an array') as unknown[];
  return {
    environmentNames: names(root.environments, `\`${name}\` environments`),
    scenarioNames: names(root.scenarios, `\`${name}\` scenarios`),
    runs: runs.map((r, i) => {
      const where = `\`${name}\` runs[${i}]`;
      const run = obj(r, where);
      const labels = obj(run.labels ?? {}, `${where}.labels`);
      const concurrency = num(run.concurrency, `${where}.concurrency`);
      const index = num(run.index, `${where}.index`);
      return {
        id: str(run.id, `${where}.id`),
        environment: str(run.environment, `${where}.environment`),
        scenario: str(run.scenario, `${where}.scenario`),
        concurrency: expect(concurrency !== null, concurrency, `${where}.concurrency`, 'a number') as number,
        labels: Object.fromEntries(Object.keys(labels).sort().map((k) => [k, str(labels[k], `${where}.labels.${k}`)])),
        file: str(run.file, `${where}.file`),
        index: expect(index !== null, index, `${where}.index`, 'a number') as number,
        figures: readFigures(run, where),
      };
    }),
  };
}

/**
 * Identity of each run across versions, in the side's order: environment, scenario, concurrency,
 * labels and its position among the runs that share them (repeats), but not its file, so that
 * moving or renaming files keeps runs matched.
 */
function runKeys(runs: readonly DiffRun[]): string[] {
  const repeats = new Map<string, number>();
  return runs.map((run) => {
    const kind = JSON.stringify([run.environment, run.scenario, run.concurrency, run.labels]);
    const position = repeats.get(kind) ?? 0;
    repeats.set(kind, position + 1);
    return `${kind}#${position}`;
  });
}

function ref(run: DiffRun): RunRef {
  return { id: run.id, environment: run.environment, scenario: run.scenario, concurrency: run.concurrency, file: run.file, index: run.index };
}

/** Counts (`statusCodes.*`, `errors.*`) and flags (`flags.*`, 1 when set) that one side lacks are zero there, not unknown. */
function isCount(figure: string): boolean {
  return figure.startsWith('statusCodes.') || figure.startsWith('errors.') || figure.startsWith('flags.');
}

function compareFigure(run: RunRef, figure: string, from: number | null, to: number | null, noiseFloor: number): FigureChange | null {
  if (from === to) return null;
  const absolute = from === null || to === null ? null : to - from;
  const relative = absolute === null || from === 0 ? null : absolute / Math.abs(from!);
  const beyondNoise = relative === null ? true : Math.abs(relative) > noiseFloor;
  return { run, figure, from, to, absolute, relative, beyondNoise };
}

/**
 * Compares two sidecars. A run of `from` and one of `to` are the same run when their environment,
 * scenario, concurrency and labels agree and they come at the same place among the runs that share
 * them (the second repeat matches the second repeat), wherever their files are; every figure of
 * matched runs is compared.
 */
export function diffSidecars(from: DiffSide, to: DiffSide, options: DiffOptions = {}): SidecarDiff {
  const noiseFloor = options.noiseFloor ?? DEFAULT_NOISE_FLOOR;
  if (!(noiseFloor >= 0)) throw new RangeError(`Cannot use noise floor ${noiseFloor}: expected a ratio of 0 or more`);
  const fromKeys = runKeys(from.runs);
  const toKeys = runKeys(to.runs);
  const before = new Map(from.runs.map((r, i) => [fromKeys[i]!, r]));
  const afterKeys = new Set(toKeys);
  const changes: FigureChange[] = [];
  const added: RunRef[] = [];
  let matched = 0;
  for (const [i, run] of to.runs.entries()) {
    const old = before.get(toKeys[i]!);
    if (!old) {
      added.push(ref(run));
      continue;
    }
    matched += 1;
    const figures = [...run.figures.keys(), ...[...old.figures.keys()].filter((k) => !run.figures.has(k))];
    for (const figure of figures) {
      const missing = isCount(figure) ? 0 : null;
      const a = old.figures.has(figure) ? old.figures.get(figure)! : missing;
      const b = run.figures.has(figure) ? run.figures.get(figure)! : missing;
      const change = compareFigure(ref(run), figure, a, b, noiseFloor);
      if (change) changes.push(change);
    }
  }
  const removed = from.runs.filter((_, i) => !afterKeys.has(fromKeys[i]!)).map(ref);
  return {
    noiseFloor,
    changes,
    added,
    removed,
    matched,
    environmentNames: { ...from.environmentNames, ...to.environmentNames },
    scenarioNames: { ...from.scenarioNames, ...to.scenarioNames },
  };
}

/** Whether a figure is a latency percentile (`percentiles.*`). */
export function isPercentile(figure: string): boolean {
  return figure.startsWith('percentiles.');
}

/**
 * The changes that are regressions beyond `percent` per cent: throughput (`requestsPerSec`) that
 * dropped, or a latency percentile that rose, by more than that. (A regression gate also fails on
 * runs gone, `diff.removed`.)
 */
export function findRegressions(diff: SidecarDiff, percent: number): FigureChange[] {
  const limit = percent / 100;
  return diff.changes.filter((c) => {
    if (c.relative === null) return false;
    if (c.figure === 'requestsPerSec') return c.relative < -limit;
    if (isPercentile(c.figure)) return c.relative > limit;
    return false;
  });
}

