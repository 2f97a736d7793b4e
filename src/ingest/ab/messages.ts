/**
 * Every message the ApacheBench (ab) adapter reports, in one place, worded "Cannot read line N:
 * expected X, got Y".
 */

/** Shows a line or value in messages, shortened so that a garbled line does not flood the report. */
function quote(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return `\`${short}\``;
}

/** Messages of `ParseError`s thrown by the ab adapter. */
export const messages = {
  badLine: (line: number, expected: string, got: string) => `Cannot read line ${line}: expected ${expected}, got ${quote(got)}`,
  truncated: (line: number, runLine: number, expected: string) =>
    `Cannot read line ${line}: the ab output started at line ${runLine} ends before ${expected}`,
  impossible: (line: number, written: string, expected: string) => `Cannot use ${quote(written)} on line ${line}: expected ${expected}`,
  stopped: (line: number, got: string, count: string) =>
    `Cannot read line ${line}: expected ab's report (\`Time taken for tests: <number> seconds\` …), got ${quote(got)}: ab stopped there${count} and printed no report${/^apr_socket_recv: (?!Connection refused)/.test(got) ? ' (`-r` keeps it going on receive errors)' : ''}`,
  refused: (line: number, got: string) => `Cannot read line ${line}: expected ab's report, got ${quote(got)}: ab refused its options and ran nothing`,
  badCommandValue: (line: number, written: string, expected: string) => `Cannot read ${quote(written)} on line ${line}: expected ${expected}`,
} as const;
