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
  /**
   * What the run measured, as a canonical string: environment, scenario, concurrency, labels, tool,
   * load (requests asked for, time bound, duration, rate target) and command signature (the
   * command's parameters, not its line or text). Never its file, id or place in the sidecar.
   */
  identity: string;
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
  /** The run of the newer sidecar holding the `to` value. */
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
  /**
   * When the run has repeats compared as a multiset: the value's rank among them (1 = smallest) and
   * how many were compared. Absent for a run without repeats.
   */
  repeat?: { rank: number; of: number };
}

/** The difference between two sidecars. */
export interface SidecarDiff {
  noiseFloor: number;
  /** Changed figures: runs in the order of their identity, figures in a fixed order. */
  changes: FigureChange[];
  /** Runs only in the newer sidecar (or repeats beyond the older one's count). */
  added: RunRef[];
  /** Runs only in the older sidecar (or repeats beyond the newer one's count). */
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

/** The longest time a figure can be: about 116 days, in seconds. */
export const MAX_SECONDS = 1e7;
/** The highest rate a figure can be, requests per second. */
export const MAX_RATE = 1e9;
/** The largest byte figure (an exabyte). */
export const MAX_BYTES = 1e18;

interface Range {
  min: number;
  max: number;
  integer?: boolean;
  what: string;
}

const SECONDS: Range = { min: 0, max: MAX_SECONDS, what: `seconds from 0 to ${MAX_SECONDS}` };
const COUNT: Range = { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true, what: 'a whole count of 0 or more' };
const BYTES: Range = { min: 0, max: MAX_BYTES, what: `bytes from 0 to ${MAX_BYTES}` };
const RATE: Range = { min: 0, max: MAX_RATE, what: `requests per second from 0 to ${MAX_RATE}` };

/** The range each scalar figure can take; a value outside it is impossible and refuses the sidecar. */
const SCALAR_RANGES: Record<(typeof SCALAR_FIGURES)[number], Range> = {
  requests: COUNT,
  total: SECONDS,
  requestsPerSec: RATE,
  successRate: { min: 0, max: 1, what: 'a ratio from 0 to 1' },
  slowest: SECONDS,
  fastest: SECONDS,
  average: SECONDS,
  totalData: BYTES,
  sizePerRequest: BYTES,
  sizePerSec: BYTES,
};

/** Every key a sidecar has at the top, and every key of a run (`schemaVersion` 1). */
const SIDECAR_KEYS = new Set(['schemaVersion', 'title', 'verdict', 'baseline', 'units', 'environments', 'scenarios', 'runs', 'comparisons', 'resources', 'metricFiles', 'resourceSummary', 'noise', 'aaOutliers', 'paired', 'rankings', 'findings', 'recommendations', 'confidence']);
const RUN_KEYS = new Set([
  'id', 'environment', 'scenario', 'concurrency', 'requests', 'requestsFrom', 'timeBounded', 'deadlineAborts', 'duration', 'rateTarget',
  'command', 'labels', 'file', 'index', 'line', 'tool', 'format', 'printedUnit', 'figures', 'window', ...SCALAR_FIGURES,
  'percentiles', 'histogram', 'details', 'statusCodes', 'errors', 'missingSections', 'flags',
]);
const COMMAND_KEYS = new Set(['tool', 'from', 'line', 'text', 'concurrency', 'requests', 'duration', 'durationSeconds', 'rate', 'latencyCorrection', 'method', 'url']);
/** The command's parameters that say what was measured (not where the command was written). */
const COMMAND_SIGNATURE = ['tool', 'concurrency', 'requests', 'duration', 'durationSeconds', 'rate', 'latencyCorrection', 'method', 'url'] as const;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `.p99`, `.503`, or `["p99 "]` for a key that would not read as one. */
function key(name: string): string {
  return /^[\w.-]+$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function expect<T>(ok: boolean, value: T, where: string, what: string): T {
  if (!ok) throw new SidecarShapeError(`Cannot read ${where}: expected ${what}, got \`${shown(value)}\``);
  return value;
}

function num(v: unknown, where: string, range?: Range): number | null {
  if (v === null) return null;
  expect(typeof v === 'number' && Number.isFinite(v), v, where, 'a number or null');
  const n = v as number;
  if (range) expect(n >= range.min && n <= range.max && (!range.integer || Number.isInteger(n)), n, where, range.what);
  return n;
}

function str(v: unknown, where: string): string {
  return expect(typeof v === 'string', v as string, where, 'a string');
}

function obj(v: unknown, where: string): Json {
  return expect(isObject(v), v as Json, where, 'an object');
}

/** Refuses a key the sidecar does not have: a renamed or invented figure must not pass unseen. */
function onlyKeys(value: Json, keys: ReadonlySet<string>, where: string): Json {
  for (const name of Object.keys(value)) {
    if (!keys.has(name)) {
      const known = [...keys].map((k) => `\`${k}\``).join(', ');
      throw new SidecarShapeError(`Cannot read ${where}${key(name)}: unknown key \`${shown(name)}\` (expected one of ${known})`);
    }
  }
  return value;
}

function optionalObj(v: unknown, keys: ReadonlySet<string>, where: string): Json | null {
  if (v === null || v === undefined) return null;
  return onlyKeys(obj(v, where), keys, where);
}

function readFigures(run: Json, where: string): Map<string, number | null> {
  const figures = new Map<string, number | null>();
  for (const key of SCALAR_FIGURES) figures.set(key, num(run[key] ?? null, `${where}.${key}`, SCALAR_RANGES[key]));
  const percentiles = onlyKeys(obj(run.percentiles ?? {}, `${where}.percentiles`), new Set(PERCENTILE_KEYS), `${where}.percentiles`);
  for (const key of PERCENTILE_KEYS) figures.set(`percentiles.${key}`, num(percentiles[key] ?? null, `${where}.percentiles.${key}`, SECONDS));
  const details = onlyKeys(obj(run.details ?? {}, `${where}.details`), new Set(DETAIL_PHASES), `${where}.details`);
  for (const phase of DETAIL_PHASES) {
    const detail = optionalObj(details[phase], new Set(DETAIL_STATS), `${where}.details.${phase}`) ?? {};
    for (const stat of DETAIL_STATS) figures.set(`details.${phase}.${stat}`, num(detail[stat] ?? null, `${where}.details.${phase}.${stat}`, SECONDS));
  }
  for (const group of ['statusCodes', 'errors'] as const) {
    const counts = obj(run[group] ?? {}, `${where}.${group}`);
    for (const name of Object.keys(counts).sort()) {
      if (group === 'statusCodes') expect(/^\d{3}$/.test(name), name, `${where}.statusCodes`, 'three-digit status codes as keys');
      const n = num(counts[name], `${where}.${group}${key(name)}`, COUNT);
      figures.set(`${group}.${name}`, expect(n !== null, n, `${where}.${group}${key(name)}`, COUNT.what));
    }
  }
  // Note: sidecars before the analysis stage have no `flags`.
  if (run.flags !== undefined) {
    const flags = expect(Array.isArray(run.flags), run.flags, `${where}.flags`, 'an array') as unknown[];
    const rules = flags.map((f, i) => str(onlyKeys(obj(f, `${where}.flags[${i}]`), new Set(['rule', 'severity', 'message', 'evidence']), `${where}.flags[${i}]`).rule, `${where}.flags[${i}].rule`));
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

/** What a run measured, as a canonical string (see {@link DiffRun.identity}). */
function identityOf(run: Json, where: string, labels: Record<string, string>, concurrency: number): string {
  const timeBounded = run.timeBounded === undefined ? false : expect(typeof run.timeBounded === 'boolean', run.timeBounded, `${where}.timeBounded`, 'true or false');
  // Note: requests counted from the summary, or run for a fixed time, are an outcome, not the load asked for.
  const requests = timeBounded || run.requestsFrom === 'count' ? null : num(run.requests ?? null, `${where}.requests`, COUNT);
  const duration = run.duration === undefined || run.duration === null ? null : str(run.duration, `${where}.duration`);
  const rate = optionalObj(run.rateTarget, new Set(['target', 'from']), `${where}.rateTarget`);
  const command = optionalObj(run.command, COMMAND_KEYS, `${where}.command`);
  const tool = run.tool === undefined ? null : str(run.tool, `${where}.tool`);
  return JSON.stringify([
    str(run.environment, `${where}.environment`),
    str(run.scenario, `${where}.scenario`),
    concurrency,
    labels,
    tool,
    { requests, timeBounded, duration, rate: rate === null ? null : num(rate.target, `${where}.rateTarget.target`, RATE) },
    command === null ? null : COMMAND_SIGNATURE.map((k) => command[k] ?? null),
  ]);
}

/**
 * Reads a parsed sidecar (`JSON.parse` of `docs/test-report.json`) for diffing. `name` is how the
 * file is named in messages. Throws {@link SidecarShapeError} for a `schemaVersion` it does not
 * read (or none), a key a sidecar does not have, or a figure it cannot hold (a negative rate, a
 * latency of 1e300 s), naming the first such value and its key path.
 */
export function readDiffSide(value: unknown, name: string): DiffSide {
  const root = obj(value, `\`${name}\``);
  const version = root.schemaVersion;
  if (!READABLE_SCHEMA_VERSIONS.includes(version as number)) {
    const got = version === undefined ? 'no `schemaVersion`' : `\`"schemaVersion": ${JSON.stringify(version)}\``;
    const versions = READABLE_SCHEMA_VERSIONS.map((v) => `\`${v}\``).join(', ');
    throw new SidecarShapeError(`Cannot read \`${name}\`: expected a mesh-report sidecar of \`schemaVersion\` ${versions} (the versions this diff reads), got ${got}`);
  }
  onlyKeys(root, SIDECAR_KEYS, `\`${name}\``);
  const runs = expect(Array.isArray(root.runs), root.runs, `\`${name}\` runs`, 'an array') as unknown[];
  return {
    environmentNames: names(root.environments, `\`${name}\` environments`),
    scenarioNames: names(root.scenarios, `\`${name}\` scenarios`),
    runs: runs.map((r, i) => {
      const where = `\`${name}\` runs[${i}]`;
      const run = onlyKeys(obj(r, where), RUN_KEYS, where);
      const labels = obj(run.labels ?? {}, `${where}.labels`);
      const concurrency = num(run.concurrency, `${where}.concurrency`, { min: 1, max: MAX_RATE, integer: true, what: 'a whole number of 1 or more' });
      const index = num(run.index, `${where}.index`, COUNT);
      const sortedLabels = Object.fromEntries(Object.keys(labels).sort().map((k) => [k, str(labels[k], `${where}.labels${key(k)}`)]));
      const c = expect(concurrency !== null, concurrency, `${where}.concurrency`, 'a number') as number;
      return {
        id: str(run.id, `${where}.id`),
        environment: str(run.environment, `${where}.environment`),
        scenario: str(run.scenario, `${where}.scenario`),
        concurrency: c,
        labels: sortedLabels,
        file: str(run.file, `${where}.file`),
        index: expect(index !== null, index, `${where}.index`, 'a number') as number,
        identity: identityOf(run, where, sortedLabels, c),
        figures: readFigures(run, where),
      };
    }),
  };
}

function ref(run: DiffRun): RunRef {
  return { id: run.id, environment: run.environment, scenario: run.scenario, concurrency: run.concurrency, file: run.file, index: run.index };
}

/** Counts (`statusCodes.*`, `errors.*`) and flags (`flags.*`, 1 when set) that one side lacks are zero there, not unknown. */
function isCount(figure: string): boolean {
  return figure.startsWith('statusCodes.') || figure.startsWith('errors.') || figure.startsWith('flags.');
}

function figureOf(run: DiffRun, figure: string): number | null {
  const v = run.figures.get(figure);
  return v === undefined ? (isCount(figure) ? 0 : null) : v;
}

function compareFigure(run: RunRef, figure: string, from: number | null, to: number | null, noiseFloor: number): FigureChange | null {
  if (from === to) return null;
  const absolute = from === null || to === null ? null : to - from;
  const relative = absolute === null || from === 0 ? null : absolute / Math.abs(from!);
  const beyondNoise = relative === null ? true : Math.abs(relative) > noiseFloor;
  return { run, figure, from, to, absolute, relative, beyondNoise };
}

/** Figures in the order a diff lists them: scalars, percentiles, details, then counts and flags by name. */
const FIXED_FIGURES = [
  ...SCALAR_FIGURES,
  ...PERCENTILE_KEYS.map((k) => `percentiles.${k}`),
  ...DETAIL_PHASES.flatMap((p) => DETAIL_STATS.map((s) => `details.${p}.${s}`)),
];
const GROUP_ORDER = ['statusCodes', 'errors', 'flags'];

function figureRank(figure: string): number {
  const fixed = FIXED_FIGURES.indexOf(figure);
  return fixed === -1 ? FIXED_FIGURES.length + GROUP_ORDER.indexOf(figure.slice(0, figure.indexOf('.'))) : fixed;
}

function byFigure(a: string, b: string): number {
  return figureRank(a) - figureRank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** A run's figures as one canonical string: two runs with the same string measured the same. */
function contentOf(run: DiffRun): string {
  return JSON.stringify([...run.figures.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function byContent(a: DiffRun, b: DiffRun): number {
  const x = contentOf(a);
  const y = contentOf(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Ascending, unknown (`null`) last. */
function byValue(a: number | null, b: number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return a - b;
}

/**
 * Compares the repeats of one identity as a multiset. Repeats identical in every figure are
 * paired first (unchanged, wherever their files are); of the others, as many as both sides have
 * are compared figure by figure on their sorted values (the smallest p99 with the smallest, ...),
 * and the rest, taken in the order of their content, are added or removed.
 */
function compareRepeats(olds: DiffRun[], news: DiffRun[], noiseFloor: number, out: SidecarDiff): void {
  const left = [...olds].sort(byContent);
  const right = [...news].sort(byContent);
  const pending: DiffRun[] = [];
  for (const run of right) {
    const twin = left.findIndex((o) => contentOf(o) === contentOf(run));
    if (twin === -1) pending.push(run);
    else {
      left.splice(twin, 1);
      out.matched += 1;
    }
  }
  const count = Math.min(left.length, pending.length);
  out.added.push(...pending.slice(count).map(ref));
  out.removed.push(...left.slice(count).map(ref));
  if (count === 0) return;
  out.matched += count;
  const a = left.slice(0, count);
  const b = pending.slice(0, count);
  const figures = [...new Set([...a, ...b].flatMap((r) => [...r.figures.keys()]))].sort(byFigure);
  for (const figure of figures) {
    const before = a.map((r) => figureOf(r, figure)).sort(byValue);
    const after = b.map((r) => ({ run: r, value: figureOf(r, figure) })).sort((x, y) => byValue(x.value, y.value));
    for (const [rank, { run, value }] of after.entries()) {
      const change = compareFigure(ref(run), figure, before[rank]!, value, noiseFloor);
      if (change) out.changes.push(count > 1 ? { ...change, repeat: { rank: rank + 1, of: count } } : change);
    }
  }
}

/**
 * Compares two sidecars. Runs are matched by what they measured ({@link DiffRun.identity}), never
 * by their place in the `runs` array, their file or their id; the repeats of one identity are
 * compared as a multiset (see {@link compareRepeats}), so reordering runs or renaming a repeat's
 * file changes nothing, and a repeat that got slower shows whichever repeat it is.
 */
export function diffSidecars(from: DiffSide, to: DiffSide, options: DiffOptions = {}): SidecarDiff {
  const noiseFloor = options.noiseFloor ?? DEFAULT_NOISE_FLOOR;
  if (!(noiseFloor >= 0)) throw new RangeError(`Cannot use noise floor ${noiseFloor}: expected a ratio of 0 or more`);
  const groups = new Map<string, { from: DiffRun[]; to: DiffRun[] }>();
  for (const [side, runs] of [['from', from.runs], ['to', to.runs]] as const) {
    for (const run of runs) {
      const group = groups.get(run.identity) ?? { from: [], to: [] };
      group[side].push(run);
      groups.set(run.identity, group);
    }
  }
  const out: SidecarDiff = {
    noiseFloor,
    changes: [],
    added: [],
    removed: [],
    matched: 0,
    environmentNames: { ...from.environmentNames, ...to.environmentNames },
    scenarioNames: { ...from.scenarioNames, ...to.scenarioNames },
  };
  for (const identity of [...groups.keys()].sort()) {
    const group = groups.get(identity)!;
    compareRepeats(group.from, group.to, noiseFloor, out);
  }
  return out;
}

/** Whether a figure is a latency percentile (`percentiles.*`). */
export function isPercentile(figure: string): boolean {
  return figure.startsWith('percentiles.');
}

/**
 * The changes that are regressions beyond `percent` per cent: throughput (`requestsPerSec`) that
 * dropped, or a latency percentile that rose, by more than that; and any measured
 * figure (not a count or flag) that had a value and became unknown or disappeared, since it can
 * no longer be checked. (A regression gate also fails on runs gone, `diff.removed`.)
 */
export function findRegressions(diff: SidecarDiff, percent: number): FigureChange[] {
  const limit = percent / 100;
  return diff.changes.filter((c) => {
    if (c.from !== null && c.to === null) return !isCount(c.figure);
    if (c.from === null || c.to === null) return false;
    if (c.figure === 'requestsPerSec') return c.relative !== null && c.relative < -limit;
    // Note: a percentile rising from 0 (printed `0.0000`) has no relative change; it is listed, not gated.
    if (isPercentile(c.figure)) return c.relative !== null && c.relative > limit;
    return false;
  });
}

