/**
 * fortio's return codes (`RetCodes` in JSON, `Code 200 : N` / `Health SERVING : N` in text) as
 * status codes and transport errors.
 */

/** The status codes and transport errors of a run. */
export interface SortedCodes {
  statusCodes: Record<string, number>;
  errors: Record<string, number>;
}

/** Where one return code goes: a status code (its key) or a transport error (its message). */
export type CodeClass = { status: string } | { error: string };

/**
 * Sorts one fortio return code:
 * - an HTTP status (`200`, `503`) is a status code;
 * - a negative code (`-1`: fortio could not connect, or the socket broke) is a transport error,
 *   `socket error (fortio code -1)`;
 * - gRPC health's `SERVING` (and `OK`, which fortio's TCP/UDP runs count) is success, under the
 *   class key `2xx` so that it is OK in error budgets; any other word (`NOT_SERVING`, `UNKNOWN`,
 *   `SERVICE_UNKNOWN`, an error text) is a transport error: `gRPC NOT_SERVING` (`fortio <word>`
 *   for a run that is not gRPC).
 */
export function classifyRetCode(rawCode: string, grpc: boolean): CodeClass {
  const code = rawCode.trim();
  if (/^-\d+$/.test(code)) return { error: `socket error (fortio code ${code})` };
  if (/^\d+$/.test(code)) return { status: String(Number(code)) };
  if (code === 'SERVING' || code === 'OK') return { status: '2xx' };
  return { error: `${grpc || /SERVING|UNKNOWN/.test(code) ? 'gRPC' : 'fortio'} ${code}` };
}

/** Sorts every return code of a run (see {@link classifyRetCode}), adding up codes that land on one key. */
export function sortRetCodes(codes: ReadonlyArray<readonly [code: string, count: number]>, grpc = false): SortedCodes {
  const statusCodes: Record<string, number> = {};
  const errors: Record<string, number> = {};
  for (const [code, count] of codes) {
    const sorted = classifyRetCode(code, grpc);
    if ('status' in sorted) statusCodes[sorted.status] = (statusCodes[sorted.status] ?? 0) + count;
    else errors[sorted.error] = (errors[sorted.error] ?? 0) + count;
  }
  return { statusCodes, errors };
}

/** Share of requests that got a response: every request but the transport errors; 0 when none was counted. */
export function successRateOf(sorted: SortedCodes, requests: number): number {
  const failed = Object.values(sorted.errors).reduce((a, b) => a + b, 0);
  return requests > 0 ? (requests - failed) / requests : 0;
}
