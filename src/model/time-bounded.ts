/**
 * Time-bounded by study design: a run that ran for a time (`-z`) says so only when its command line
 * is in the file, its path or configuration says `-z`, or it ended with requests in flight (oha's
 * `aborted due to deadline`). A `-z` run that happened to end with none in flight, kept without its
 * command line, looks like a run of as many requests as it completed. Its cell says otherwise: when
 * other runs of the cell (else of the scenario) are time-bounded and it ended at the same Total,
 * within {@link SAME_TOTAL}, it ran for that time too. Pure.
 */
import { median } from '../stats.ts';
import type { Run } from './types.ts';

/** Totals within this ratio of the time-bounded runs' median Total are "the same Total": 1 %. */
export const SAME_TOTAL = 0.01;


/** The one `-z` the runs share, or null when none says one or they say several. */
function sharedDuration(runs: readonly Run[]): string | null {
  const said = [...new Set(runs.flatMap((r) => (r.duration === null ? [] : [r.duration])))];
  return said.length === 1 ? said[0]! : null;
}

/**
 * Marks as time-bounded the runs that nothing says asked for a number of requests
 * (`requestsFrom: 'count'`) and that ended at the same Total (within {@link SAME_TOTAL}) as the
 * time-bounded runs of their cell (scenario × concurrency), or of their scenario when the cell has
 * none; they take the `-z` those runs share, if one. A time-bounded run whose `-z` nothing says
 * (deadline aborts only) takes its peers' likewise. Returns the runs in the given order, those
 * changed as copies.
 */
export function inferTimeBounded(runs: readonly Run[]): Run[] {
  const bounded = runs.filter((r) => r.timeBounded);
  if (bounded.length === 0) return [...runs];
  return runs.map((run) => {
    // Note: a time-bounded run known only by its deadline aborts takes its peers' `-z` too.
    if (run.timeBounded ? run.duration !== null : run.requestsFrom !== 'count') return run;
    const cell = bounded.filter((r) => r !== run && r.scenario === run.scenario && r.concurrency === run.concurrency);
    const peers = cell.length > 0 ? cell : bounded.filter((r) => r !== run && r.scenario === run.scenario);
    if (peers.length === 0) return run;
    const total = median(peers.map((r) => r.summary.total));
    if (!(total > 0) || Math.abs(run.summary.total / total - 1) > SAME_TOTAL) return run;
    const duration = sharedDuration(peers);
    if (run.timeBounded && duration === null) return run;
    return { ...run, timeBounded: true, duration };
  });
}
