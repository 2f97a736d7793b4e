/**
 * Every message the oha parsers report, in one place, worded "Cannot read line N: expected X, got Y".
 */

/** Shows a line or value in messages, shortened so that a garbled line does not flood the report. */
function quote(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return `\`${short}\``;
}

/** Messages of {@link ParseError}s thrown by the oha parsers. */
export const messages = {
  binary: (what: string) => `Cannot read a binary file as oha output: ${what}`,
  unexpectedRow: (line: number, expected: string, got: string) =>
    `Cannot read line ${line}: expected ${expected}, got ${quote(got)}`,
  badValue: (line: number, label: string, expected: string, got: string) =>
    `Cannot read line ${line}: expected ${expected} after \`${label}:\`, got ${quote(got)}`,
  truncated: (line: number, summaryLine: number, expected: string) =>
    `Cannot read line ${line}: the oha summary started at line ${summaryLine} ends before ${expected}`,
  missingJsonKey: (line: number, key: string, expected: string) =>
    `Cannot read the oha JSON at line ${line}: expected ${expected} at \`${key}\`, but it is missing`,
  badJsonKey: (line: number, key: string, expected: string, got: unknown) =>
    `Cannot read the oha JSON at line ${line}: expected ${expected} at \`${key}\`, got ${quote(JSON.stringify(got) ?? String(got))}`,
  impossibleFigure: (written: string, line: number | null, expected: string) =>
    `Cannot use ${quote(written)}${line === null ? '' : ` on line ${line}`}: expected ${expected}`,
  badCommandValue: (line: number, written: string, expected: string) => `Cannot read ${quote(written)} on line ${line}: expected ${expected}`,
} as const;

/**
 * The warning for a summary whose capture was cut off (see `IngestedSummary.missingSections`):
 * ``Cannot read the whole oha summary at line 12 of `x.txt`: it ends before its percentiles above
 * 50% and its status code distribution (the capture was cut off); …``.
 */
export function incompleteSummary(line: number, file: string, missingSections: readonly string[]): string {
  const its = missingSections.map((section) => `its ${section}`);
  const what = its.length > 1 ? `${its.slice(0, -1).join(', ')} and ${its.at(-1)}` : (its[0] ?? '');
  return `Cannot read the whole oha summary at line ${line} of \`${file}\`: it ends before ${what} (the capture was cut off); the run is flagged \`incomplete-capture\` and left out of the comparisons`;
}
