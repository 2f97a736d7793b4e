/**
 * Every message the k6 adapters report, in one place, worded "Cannot read line N: expected X, got Y".
 */

/** Shows a line or value in messages, shortened so that a garbled line does not flood the report. */
function quote(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return `\`${short}\``;
}

/** Messages of the `ParseError`s thrown by the k6 adapters. */
export const messages = {
  badLine: (line: number, expected: string, got: string) => `Cannot read line ${line}: expected ${expected}, got ${quote(got)}`,
  badValue: (line: number, metric: string, expected: string, got: string) =>
    `Cannot read line ${line}: expected ${expected} in \`${metric}\`, got ${quote(got)}`,
  cutValue: (line: number, metric: string, got: string) =>
    `Cannot read line ${line}: expected a whole time in \`${metric}\` (such as \`21.44ms\` or \`1m3s\`), got ${quote(got)}, cut off by the terminal's width`,
  missingJsonKey: (line: number, key: string, expected: string) =>
    `Cannot read the k6 JSON at line ${line}: expected ${expected} at \`${key}\`, but it is missing`,
  badJsonKey: (line: number, key: string, expected: string, got: unknown) =>
    `Cannot read the k6 JSON at line ${line}: expected ${expected} at \`${key}\`, got ${quote(JSON.stringify(got) ?? String(got))}`,
  badCommandValue: (line: number, written: string, expected: string) => `Cannot read ${quote(written)} on line ${line}: expected ${expected}`,
} as const;
