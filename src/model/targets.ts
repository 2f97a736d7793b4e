/**
 * Runs of one environment and scenario against different targets (a pasted session with commands
 * against several URLs) are different rows, not repeats: their environment is split into one
 * derived environment per target, `<environment>@<slug>`. Pure.
 */
import type { Environment, Run } from './types.ts';

/** A target: the method (GET when not given) and the URL, as the command line wrote it. */
interface Target {
  method: string;
  url: string;
}

function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function targetOf(run: Run): Target | null {
  const url = run.command?.url ?? null;
  return url === null ? null : { method: run.command?.method ?? 'GET', url };
}

function targetKey(target: Target | null): string {
  return target === null ? '' : `${target.method} ${target.url}`;
}

/**
 * The slug of a target in a derived environment id: the URL's host, port and path (no scheme, user,
 * query or fragment) with every character outside `[A-Za-z0-9._-]` replaced by `-` (repeats
 * collapsed, ends trimmed), after the lower-cased method when it is not GET.
 *
 * @example targetSlug('http://10.0.0.5:8080/api', 'POST') // 'post-10.0.0.5-8080-api'
 */
export function targetSlug(url: string, method: string | null = null): string {
  const hostAndPath = url
    .replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '')
    .replace(/^[^/?#@]*@/, '')
    .replace(/[?#].*$/, '');
  const slug = hostAndPath.replace(/[^A-Za-z0-9._-]/g, '-').replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '') || 'target';
  return method === null || method === 'GET' ? slug : `${method.toLowerCase()}-${slug}`;
}

/** A derived environment: its id, its parent's id, and the target it stands for. */
export interface DerivedEnvironment {
  id: string;
  parent: string;
  method: string;
  url: string;
}

/**
 * Splits the environments of runs against two or more targets within one (environment, scenario):
 * the runs with a URL move to `<environment>@<slug>`, those without keep `<environment>`; other
 * scenarios of the same environment keep theirs. Slugs are given per environment in URL order
 * (then method), `-2`, `-3`, ... added where two targets give the same slug. Returns the runs
 * (rewritten where split; ids are the caller's) and the derived environments in URL order.
 */
export function splitTargets(runs: Run[]): { runs: Run[]; derived: DerivedEnvironment[] } {
  const groups = new Map<string, Set<string>>();
  const groupOf = (run: Run) => `${run.environment}\u0000${run.scenario}`;
  for (const run of runs) {
    const key = groupOf(run);
    const targets = groups.get(key) ?? new Set<string>();
    targets.add(targetKey(targetOf(run)));
    groups.set(key, targets);
  }
  const split = (run: Run) => (groups.get(groupOf(run))?.size ?? 0) >= 2 && targetOf(run) !== null;

  const targetsByEnv = new Map<string, Map<string, Target>>();
  for (const run of runs) {
    const target = targetOf(run);
    if (target === null || !split(run)) continue;
    const targets = targetsByEnv.get(run.environment) ?? new Map<string, Target>();
    targets.set(targetKey(target), target);
    targetsByEnv.set(run.environment, targets);
  }
  const derived: DerivedEnvironment[] = [];
  const idOf = new Map<string, string>();
  for (const [parent, targets] of [...targetsByEnv].sort(([a], [b]) => byCode(a, b))) {
    const used = new Set<string>();
    const ordered = [...targets.values()].sort((a, b) => byCode(a.url, b.url) || byCode(a.method, b.method));
    for (const target of ordered) {
      const slug = targetSlug(target.url, target.method);
      let id = `${parent}@${slug}`;
      for (let n = 2; used.has(id); n++) id = `${parent}@${slug}-${n}`;
      used.add(id);
      idOf.set(`${parent}\u0000${targetKey(target)}`, id);
      derived.push({ id, parent, method: target.method, url: target.url });
    }
  }
  return {
    runs: runs.map((run) => {
      if (!split(run)) return run;
      const environment = idOf.get(`${run.environment}\u0000${targetKey(targetOf(run))}`) ?? run.environment;
      return { ...run, environment };
    }),
    derived,
  };
}

/**
 * A derived environment's display data: the parent's name with the target,
 * `<name> (<METHOD >url)`, and the parent's metadata.
 */
export function derivedEnvironment(d: DerivedEnvironment, parent: Environment): Environment {
  const target = d.method === 'GET' ? d.url : `${d.method} ${d.url}`;
  return { id: d.id, name: `${parent.name} (${target})`, meta: { ...parent.meta } };
}
