/**
 * fortio's return codes (`RetCodes` in JSON, `Code 200 : N` / `Health SERVING : N` in text) as
 * status codes and transport errors.
 */

/** The status codes and transport errors of a run, and how many requests got a response. */
export interface SortedCodes {
  statusCodes: Record<string, number>;
  errors: Record<string, number>;
}

/**
 * Sorts fortio return codes:
 * - an HTTP status (`200`, `503`) is a status code;
 * - a negative code (`-1`: fortio could not connect, or the socket broke) is a transport error,
 *   `socket error (fortio code -1)`;
 * - a gRPC health status: `SERVING` counts as success, under the class key `2xx` (so that it is OK
 *   in error budgets); any other (`NOT_SERVING`, `UNKNOWN`, `SERVICE_UNKNOWN`, an error text) is a
 *   transport error, `gRPC NOT_SERVING`.
 */
export function sortRetCodes(codes: ReadonlyArray<[code: string, count: number]>): SortedCodes {
  const statusCodes: Record<string, number> = {};
  const errors: Record<string, number> = {};
  for (const [rawCode, count] of codes) {
    const code = rawCode.trim();
    if (/^-\d+$/.test(code)) add(errors, `socket error (fortio code ${code})`, count);
    else if (/^\d+$/.test(code)) add(statusCodes, String(Number(code)), count);
    else if (code === 'SERVING') add(statusCodes, '2xx', count);
    else add(errors, `gRPC ${code}`, count);
  }
  return { statusCodes, errors };
}

function add(counts: Record<string, number>, key: string, count: number): void {
  counts[key] = (counts[key] ?? 0) + count;
}

/** Share of requests that got a response: every request but the transport errors; 0 when none was counted. */
export function successRateOf(sorted: SortedCodes, requests: number): number {
  const failed = Object.values(sorted.errors).reduce((a, b) => a + b, 0);
  return requests > 0 ? (requests - failed) / requests : 0;
}
