/**
 * Every message the fortio adapters report, in one place, worded "Cannot read line N: expected X, got Y".
 */

/** Shows a line or value in messages, shortened so that a garbled line does not flood the report. */
function quote(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return `\`${short}\``;
}

/** Messages of `ParseError`s thrown by the fortio adapters. */
export const messages = {
  unexpectedRow: (line: number, expected: string, got: string) => `Cannot read line ${line}: expected ${expected}, got ${quote(got)}`,
  runFailed: (line: number, error: string) =>
    `Cannot read the fortio JSON at line ${line}: fortio reported the run failed (${quote(error)}), so it has no results`,
  missingJsonKey: (line: number, key: string, expected: string) =>
    `Cannot read the fortio JSON at line ${line}: expected ${expected} at \`${key}\`, but it is missing`,
  badJsonKey: (line: number, key: string, expected: string, got: unknown) =>
    `Cannot read the fortio JSON at line ${line}: expected ${expected} at \`${key}\`, got ${quote(JSON.stringify(got) ?? String(got))}`,
  notFortioElement: (line: number, position: number) =>
    `Cannot read the fortio JSON at line ${line}: expected a fortio result (\`DurationHistogram\`, \`RetCodes\`) at array element ${position}`,
  badJson: (line: number, reason: string) => `Cannot read line ${line}: invalid fortio JSON (${reason})`,
  trailingText: (line: number, got: string) =>
    `Cannot read line ${line}: expected nothing or another fortio JSON document after fortio JSON, got ${quote(got)}`,
  badCommandValue: (line: number, written: string, expected: string) => `Cannot read ${quote(written)} on line ${line}: expected ${expected}`,
} as const;
