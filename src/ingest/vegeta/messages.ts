/**
 * Every message the vegeta adapters report, in one place, worded "Cannot read line N: expected X, got Y".
 */

/** Shows a line or value in messages, shortened so that a garbled line does not flood the report. */
function quote(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return `\`${short}\``;
}

/** Messages of the `ParseError`s thrown by the vegeta adapters. */
export const messages = {
  badValue: (line: number, label: string, expected: string, got: string) =>
    `Cannot read line ${line}: expected ${expected} after \`${label}\`, got ${quote(got)}`,
  valueCount: (line: number, label: string, names: readonly string[], got: string) =>
    `Cannot read line ${line}: expected ${names.length} values (${names.join(', ')}) after \`${label}\`, got ${quote(got)}`,
  truncated: (line: number, reportLine: number, expected: string) =>
    `Cannot read line ${line}: the vegeta report started at line ${reportLine} ends before ${expected}`,
  statusCodeSum: (line: number, written: string, requests: number, counted: number) =>
    `Cannot use ${quote(written)} on line ${line}: expected status code counts summing to the ${requests} requests of \`Requests [total, …]\`, got ${counted}`,
  zeroDuration: (line: number, written: string, requests: number) =>
    `Cannot use ${quote(written)} on line ${line}: expected a total duration > 0 s for ${requests} requests`,
  missingJsonKey: (line: number, key: string, expected: string) =>
    `Cannot read the vegeta JSON at line ${line}: expected ${expected} at \`${key}\`, but it is missing`,
  badJsonKey: (line: number, key: string, expected: string, got: unknown) =>
    `Cannot read the vegeta JSON at line ${line}: expected ${expected} at \`${key}\`, got ${quote(JSON.stringify(got) ?? String(got))}`,
  histogramOnly: (line: number) =>
    `Cannot read line ${line}: a \`vegeta report -type=hist\` table counts latencies but is no run summary (no requests, rate or duration); expected \`vegeta report\` text (\`Requests [total, rate, throughput]\`) or \`vegeta report -type=json\``,
  badCommandValue: (line: number, written: string, expected: string) => `Cannot read ${quote(written)} on line ${line}: expected ${expected}`,
} as const;
