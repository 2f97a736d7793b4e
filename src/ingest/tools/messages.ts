/**
 * Messages about a file of load-generator output as a whole (which tool's it is), worded "Cannot X:
 * expected Y". Each tool's own messages are in its folder.
 */

/** Shows a line in messages, shortened so that a garbled line does not flood the report. */
function quote(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return `\`${short}\``;
}

/** `a, b or c`. */
function either(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} or ${items.at(-1)}` : (items[0] ?? '');
}

/** Messages of the errors `read-run-output.ts` throws. */
export const runMessages = {
  noRuns: (tried: readonly string[]) => `Cannot find load-test output: tried ${either(tried)}; found none of them`,
  unknownJson: (line: number, tried: readonly string[]) => `Cannot read the JSON at line ${line} as load-test output: expected the JSON of ${either(tried)}`,
  unknownJsonElement: (line: number, index: number, tried: readonly string[]) =>
    `Cannot read element ${index} of the JSON array (line ${line}) as load-test output: expected the JSON of ${either(tried)}`,
  badJson: (line: number, reason: string) => `Cannot read line ${line}: invalid JSON (${reason})`,
  trailingText: (line: number, got: string) => `Cannot read line ${line}: expected nothing or another JSON object after the JSON output, got ${quote(got)}`,
} as const;
