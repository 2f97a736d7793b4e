/**
 * Every message the wrk and wrk2 readers report, in one place, worded "Cannot read line N:
 * expected X, got Y".
 */

/** Shows a line or value in messages, shortened so that a garbled line does not flood the report. */
function quote(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return `\`${short}\``;
}

/** What each wrk line looks like, for messages. */
export const EXPECTED = {
  threads: '`<threads> threads and <connections> connections`',
  latency: '`Latency <avg> <stdev> <max> <+/- stdev>%` (times such as `29.35ms`)',
  reqSec: '`Req/Sec <avg> <stdev> <max> <+/- stdev>%` (counts such as `3.27k`)',
  percentile: '`<percent>% <time>` (such as `99%    1.08ms`)',
  spectrum: '`<value ms> <percentile> <total count> <1/(1-percentile)>` or `#[Mean = <ms>, StdDeviation = <ms>]`',
  requests: '`<N> requests in <time>, <bytes> read` (such as `22464657 requests in 30.00s, 17.76GB read`)',
  socketErrors: '`Socket errors: connect <n>, read <n>, write <n>, timeout <n>`',
  non2xx: '`Non-2xx or 3xx responses: <n>`',
  requestsPerSec: '`Requests/sec: <number>`',
  transferPerSec: '`Transfer/sec: <bytes>` (such as `606.33MB`)',
  afterStats: 'a `Latency Distribution` section or `<N> requests in <time>, <bytes> read`',
  afterRequests: '`Socket errors: …`, `Non-2xx or 3xx responses: <n>` or `Requests/sec: <number>`',
  afterSpectrum: 'a `Detailed Percentile spectrum` row, its `#[…]` footer or `<N> requests in <time>, <bytes> read`',
} as const;

/** Messages of the `ParseError`s thrown by the wrk and wrk2 readers. */
export const messages = {
  unexpectedRow: (line: number, expected: string, got: string) =>
    `Cannot read line ${line}: expected ${expected}, got ${quote(got)}`,
  tooManyNon2xx: (line: number, non2xx: number, requests: number, requestsLine: number) =>
    `Cannot read line ${line}: expected at most the ${requests} requests of line ${requestsLine} as non-2xx or 3xx responses, got ${non2xx}`,
  unableToConnect: (line: number, got: string) =>
    `Cannot read line ${line}: expected a \`Running <duration> test @ <url>\` report, got ${quote(got)} (wrk prints no report when it cannot connect to its target)`,
  badCommandValue: (line: number, written: string, expected: string) => `Cannot read ${quote(written)} on line ${line}: expected ${expected}`,
} as const;
