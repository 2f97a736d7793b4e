/**
 * A benchmark repository's README saved as a Markdown file: a heading, prose, one example oha
 * command in a ```` ```sh ```` block, then under "Results" what the repository's script printed:
 * a `Testing <framework> on port <port>` line before each oha 1.9+ summary, in one block.
 */
import type { OhaSummary } from '../../src/model/types.ts';
import { formatText } from './format-text.ts';

/** One framework's run, as the script printed it. */
export interface ReadmeResult {
  framework: string;
  port: number;
  summary: OhaSummary;
}

/** What the README says around the results. */
export interface ReadmeText {
  /** The one oha command in the file, the example under "Running it". */
  example: string;
  concurrency: number;
  requests: number;
  /** The body every framework answers `GET /json` with. */
  body: string;
}

/** The README; ends with a newline. */
export function formatReadme(text: ReadmeText, results: readonly ReadmeResult[]): string {
  const names = results.map((r) => r.framework);
  const listed = `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
  const parts = [
    '# node-framework-bench',
    '',
    `How fast do ${listed} answer a trivial JSON route? Each app in \`apps/\` serves`,
    `\`GET /json\` with \`${text.body}\` on its own port (from 3000 up), one Node.js process each.`,
    '',
    '## Running it',
    '',
    '```sh',
    'npm ci',
    './bench.sh',
    '```',
    '',
    `\`bench.sh\` starts each app in turn and runs [oha](https://github.com/hatoo/oha) against it, ${text.concurrency} connections,`,
    `${text.requests} requests, for example:`,
    '',
    '```sh',
    text.example,
    '```',
    '',
    '## Results',
    '',
    'Node.js 20.11, oha 1.9, on a laptop (Apple M2, 8 cores, 16 GB) with nothing else running. Higher',
    'requests/sec is better.',
    '',
    '```text',
    // Note: oha 1.9+ output (units chosen from the slowest request), as the script printed it.
    ...results.map((r) => `Testing ${r.framework} on port ${r.port}\n${formatText(r.summary, { era: 'auto' }).trimEnd()}`),
    '```',
    '',
    '## Licence',
    '',
    'MIT',
    '',
  ];
  return parts.join('\n');
}
