/**
 * A shell session pasted into a Markdown note: a title, a sentence, then each oha command with
 * the summary it printed, in a ```` ```console ```` block, as one copies them from a terminal.
 */
import type { OhaSummary } from '../../src/model/types.ts';
import { formatText } from './format-text.ts';

/** One command of the session and what oha printed. */
export interface SessionBlock {
  /** The command as typed, prompt included, one entry per line. */
  command: readonly string[];
  summary: OhaSummary;
}

/** The Markdown note; ends with a newline. */
export function formatSession(title: string, intro: string, blocks: readonly SessionBlock[]): string {
  const parts = [`# ${title}`, '', intro, ''];
  for (const block of blocks) {
    // Note: oha 1.9+ output (units chosen from the slowest request), no `Started at` lines: typed by hand.
    parts.push('```console', formatText(block.summary, { era: 'auto', command: block.command }).trimEnd(), '```', '');
  }
  return parts.join('\n');
}
