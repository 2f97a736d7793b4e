/**
 * The `-q` target rate of each run, from where the data says it: the oha command line the file
 * shows, a `{rate}` part of the run's path or a layout rule's `rate` (its `rate` label), `rateLimits`
 * in `dataset.json` (a run id, a scenario id, or a glob over run ids or scenario ids), or the
 * scenario's `rate`. Pure.
 */
import { compileGlob, isGlob } from './glob.ts';
import type { Dataset, RateTarget, Run } from './types.ts';

export type { RateTarget } from './types.ts';

const globs = new Map<string, ((id: string) => boolean) | null>();

/**
 * The matcher of a `rateLimits` key that is a glob (compiled once, matching in linear time), or
 * null for a plain id. A glob `readDatasetConfig` refuses is null here too: it names no id.
 */
function globOf(key: string): ((id: string) => boolean) | null {
  if (!globs.has(key)) globs.set(key, isGlob(key) ? compileGlobOrNull(key) : null);
  return globs.get(key)!;
}

function compileGlobOrNull(key: string): ((id: string) => boolean) | null {
  try {
    return compileGlob(key);
  } catch {
    return null;
  }
}

/**
 * The `-q` target of a run: the command line's `-q`, else its `rate` label, else `rateLimits`
 * keyed by the run id, else by the scenario id, else the first glob key (in the order written)
 * matching the run id or the scenario id, else `scenarioRate` (the scenario's `rate` in
 * `dataset.json`); `null` when nothing says the run was rate-limited.
 *
 * @throws {RangeError} for a `rate` label that is not a number > 0.
 */
export function rateTarget(
  run: Pick<Run, 'id' | 'scenario' | 'command' | 'labels'>,
  rateLimits: Record<string, number> = {},
  scenarioRate?: number,
): RateTarget | null {
  if (run.command?.rate != null) return { target: run.command.rate, from: run.command.from === 'output' ? `${run.command.tool ?? 'oha'} output` : 'command line' };
  const label = run.labels.rate;
  if (label !== undefined) {
    const target = Number(label);
    if (!Number.isFinite(target) || target <= 0) {
      throw new RangeError(`Cannot read the rate target of run \`${run.id}\` from label \`rate=${label}\`: expected requests per second > 0`);
    }
    return { target, from: `label rate=${label}` };
  }
  for (const key of [run.id, run.scenario]) {
    if (Object.hasOwn(rateLimits, key)) return { target: rateLimits[key]!, from: `rateLimits key ${key}` };
  }
  for (const [key, target] of Object.entries(rateLimits)) {
    const glob = globOf(key);
    if (glob !== null && (glob(run.id) || glob(run.scenario))) return { target, from: `rateLimits key ${key}` };
  }
  if (scenarioRate !== undefined) return { target: scenarioRate, from: `scenario ${run.scenario} rate` };
  return null;
}

/**
 * The `rateLimits` keys that name nothing in the data: neither a scenario id nor a run id, nor a
 * glob matching one. Each is a mistake (a renamed scenario, a typo) that would silently leave runs
 * unchecked; the caller reports them with what exists.
 */
export function unmatchedRateLimits(dataset: Dataset, rateLimits: Record<string, number>): string[] {
  const scenarios = new Set(dataset.scenarios.map((s) => s.id));
  const runs = new Set(dataset.runs.map((r) => r.id));
  return Object.keys(rateLimits).filter((key) => {
    if (scenarios.has(key) || runs.has(key)) return false;
    const glob = globOf(key);
    return glob === null || !(dataset.scenarios.some((s) => glob(s.id)) || dataset.runs.some((r) => glob(r.id)));
  });
}
