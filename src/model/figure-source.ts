/**
 * Where a run's latency figures came from (see {@link FigureSource}), for runs whose adapter did not
 * say: oha's per-request CSV and SQLite give exact figures; every other summary's are as its tool
 * printed them, corrected for coordinated omission when its command says so. Pure.
 */
import type { FigureSource, Run } from './types.ts';

/** A run's figure source: its own, or the one its format implies. */
export function figureSourceOf(run: Pick<Run, 'figures' | 'source' | 'command'>): FigureSource {
  if (run.figures !== undefined) return run.figures;
  const perRequest = run.source.format === 'oha-csv' || run.source.format === 'oha-sqlite';
  return {
    percentiles: perRequest ? 'per-request' : 'printed',
    rule: null,
    coordinatedOmissionCorrected: run.command?.latencyCorrection ?? false,
    cappedAt: null,
  };
}
