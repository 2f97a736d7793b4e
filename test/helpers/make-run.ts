/**
 * Builds runs and datasets by hand for tests of the pure stages.
 */
import type { Dataset, OhaSummary, Run } from '../../src/model/types.ts';
import { rateTarget } from '../../src/model/rate-targets.ts';

/** A run with the given headline figures (seconds, requests per second); other figures derived. */
export function makeRun(p: {
  environment: string;
  scenario?: string;
  concurrency?: number;
  requests?: number;
  rps: number;
  p50: number;
  p99: number;
  file?: string;
  index?: number;
  printedUnit?: Run['source']['printedUnit'];
}): Run {
  const requests = p.requests ?? 300000;
  const scenario = p.scenario ?? 'pod';
  const concurrency = p.concurrency ?? 32;
  const file = p.file ?? `${p.environment}/${scenario}/oha-${concurrency}-${requests}.txt`;
  const summary: OhaSummary = {
    successRate: 1,
    total: requests / p.rps,
    slowest: p.p99 * 2,
    fastest: p.p50 / 4,
    average: p.p50,
    requestsPerSec: p.rps,
    totalData: null,
    sizePerRequest: null,
    sizePerSec: null,
    percentiles: { p10: null, p25: null, p50: p.p50, p75: null, p90: p.p50 * 1.2, p95: null, p99: p.p99, 'p99.9': p.p99 * 1.1, 'p99.99': null },
    histogram: [],
    details: { dnsDialup: null, dnsLookup: null, firstByte: null },
    statusCodes: { '200': requests },
    errors: {},
  };
  const index = p.index ?? 0;
  return {
    id: `${p.environment}/${scenario}/c${concurrency}/${file}#${index}`,
    environment: p.environment,
    scenario,
    concurrency,
    requests,
    requestsFrom: 'path',
    timeBounded: false,
    deadlineAborts: 0,
    duration: null,
    rateTarget: null,
    command: null,
    labels: {},
    source: { file, index, line: 1, format: 'oha-text', printedUnit: p.printedUnit ?? 's' },
    window: { start: null, end: null },
    summary,
  };
}

/**
 * A dataset of the given runs, environments in the order given. As the model does, a run without a
 * `rateTarget` gets the one its command line or `rate` label says, else `rateLimits`' (by run id,
 * scenario id or glob).
 */
export function makeDataset(runs: Run[], environments: string[], baseline: string | null = 'baseline', rateLimits: Record<string, number> = {}): Dataset {
  const scenarios = [...new Set(runs.map((r) => r.scenario))];
  return {
    title: null,
    baseline,
    environments: environments.map((id) => ({ id, name: id[0]!.toUpperCase() + id.slice(1), meta: {} })),
    scenarios: scenarios.map((id) => ({ id, name: `Scenario ${id}`, description: null })),
    runs: runs.map((run) => (run.rateTarget !== null ? run : { ...run, rateTarget: rateTarget(run, rateLimits) })),
  };
}
