/**
 * Errors as a share of a run's requests: responses outside 200–299, transport errors, and requests
 * missing from the counts. oha's own success rate counts only transport errors (a run answered by
 * `503`s reads as 100 %), and its `aborted due to deadline` errors, one per connection still busy
 * when a `-z` run ends, are not failures at all. Pure.
 */
import { isDeadlineAbort } from '../model/run-parameters.ts';
import type { Run } from '../model/types.ts';

/** Share of requests a run may fail and still be compared: 0.1 % unless `errorBudget` says otherwise. */
export const DEFAULT_ERROR_BUDGET = 0.001;

/** A run's errors, counted. */
export interface RunErrors {
  /** Responses with a status code outside 200–299 (or a failing class, `5xx`, `non-2xx/3xx`), by code. */
  statusCodes: Record<string, number>;
  /** Transport errors by message, deadline aborts left out. */
  transport: Record<string, number>;
  /** Responses outside 200–299. */
  non2xx: number;
  /** Transport errors, deadline aborts within one per connection left out. */
  transportErrors: number;
  /**
   * Requests missing from the counts: a success rate below 100 % with no error distribution (the
   * output was cut off when it was pasted), about `responses / successRate − responses`.
   */
  missing: number;
  /** `aborted due to deadline` errors not counted as errors (at most one per connection). */
  deadlineAborts: number;
  /** non-2xx + transport errors + missing. */
  errors: number;
  /** Every request the summary accounts for: responses, transport errors and missing ones. */
  requests: number;
  /** `errors / requests`, 0..1; 0 for a run with no requests. */
  share: number;
}

/**
 * Whether a status-code key counts successful responses: a code within 200–299, or the class a tool
 * that only counts classes gives them (`2xx`; wrk's `2xx/3xx`, the responses it does not call
 * `Non-2xx or 3xx`). Every other key (`503`, `5xx`, `non-2xx/3xx`) is responses that failed.
 */
export function isSuccessStatus(code: string): boolean {
  const status = Number(code);
  if (Number.isInteger(status)) return status >= 200 && status <= 299;
  return code.startsWith('2xx');
}

/** Counts a run's errors (see {@link RunErrors}). */
export function countErrors(run: Run): RunErrors {
  const { statusCodes, errors, successRate } = run.summary;
  const bad: Record<string, number> = {};
  let responses = 0;
  let non2xx = 0;
  for (const code of Object.keys(statusCodes).sort()) {
    const n = statusCodes[code]!;
    responses += n;
    if (isSuccessStatus(code)) continue;
    non2xx += n;
    bad[code] = n;
  }
  const transport: Record<string, number> = {};
  let transportErrors = 0;
  let aborts = 0;
  let listed = 0;
  for (const message of Object.keys(errors).sort()) {
    const n = errors[message]!;
    listed += n;
    if (isDeadlineAbort(message)) {
      aborts += n;
      continue;
    }
    transportErrors += n;
    transport[message] = n;
  }
  // Note: a `-z` run ends with at most one abort per connection; more than that are failures.
  const deadlineAborts = Math.min(aborts, run.concurrency);
  if (aborts > deadlineAborts) {
    transportErrors += aborts - deadlineAborts;
    transport['aborted due to deadline (beyond one per connection)'] = aborts - deadlineAborts;
  }
  let missing = 0;
  if (listed === 0 && successRate < 1) {
    const answered = responses > 0 ? responses : Math.round(run.requests * successRate);
    missing = successRate > 0 ? Math.max(0, Math.round(answered / successRate) - answered) : run.requests;
  }
  const errorCount = non2xx + transportErrors + missing;
  const requests = responses + transportErrors + missing;
  return {
    statusCodes: bad,
    transport,
    non2xx,
    transportErrors,
    missing,
    deadlineAborts,
    errors: errorCount,
    requests,
    share: requests === 0 ? 0 : errorCount / requests,
  };
}
