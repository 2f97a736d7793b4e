/**
 * Every message the hey adapter reports, in one place, worded "Cannot read line N: expected X, got Y".
 */

/** Shows a line or value in messages, shortened so that a garbled line does not flood the report. */
function quote(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return `\`${short}\``;
}

/** Messages of the `ParseError`s thrown by the hey adapter. */
export const messages = {
  unexpectedRow: (line: number, expected: string, got: string) => `Cannot read line ${line}: expected ${expected}, got ${quote(got)}`,
  badValue: (line: number, label: string, expected: string, got: string) =>
    `Cannot read line ${line}: expected ${expected} after \`${label}:\`, got ${quote(got)}`,
  truncated: (line: number, summaryLine: number, expected: string) =>
    `Cannot read line ${line}: the hey summary started at line ${summaryLine} ends before ${expected}`,
  badCommandValue: (line: number, written: string, expected: string) => `Cannot read ${quote(written)} on line ${line}: expected ${expected}`,
} as const;
