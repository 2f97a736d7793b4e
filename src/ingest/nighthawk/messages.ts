/**
 * Every message the Nighthawk adapter reports, in one place, worded "Cannot read … at line N:
 * expected X, got Y".
 */

/** Shows a value in messages, shortened so that a garbled value does not flood the report. */
function quote(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return `\`${short}\``;
}

/** Messages of `ParseError`s thrown by the Nighthawk adapter. */
export const messages = {
  missingKey: (line: number, path: string, expected: string) =>
    `Cannot read the Nighthawk JSON at line ${line}: expected ${expected} at \`${path}\`, but it is missing`,
  badKey: (line: number, path: string, expected: string, got: unknown) =>
    `Cannot read the Nighthawk JSON at line ${line}: expected ${expected} at \`${path}\`, got ${quote(JSON.stringify(got) ?? String(got))}`,
  noResult: (line: number) =>
    `Cannot read the Nighthawk JSON at line ${line}: expected a \`global\` result or \`worker_N\` results in \`results\`, got none`,
} as const;
