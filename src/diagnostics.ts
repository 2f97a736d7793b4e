/**
 * Problems found while building a report, collected with their place and origin
 * (in the manner of vfile messages) so that a run lists all of them, not only the first.
 */

/** Where a problem was found: `ingest:oha`, `template`, `config`, ... */
export type Origin = `${string}:${string}` | 'template' | 'config' | 'write';

/** One problem. `file` is relative to the data folder (or the repository for templates). */
export interface Diagnostic {
  level: 'error' | 'warning';
  origin: Origin;
  file: string;
  /** 1-based line, when there is one. */
  line: number | null;
  message: string;
}

/** Exit codes of the CLI, one per failure kind. */
export const EXIT = {
  ok: 0,
  /** `--check`: an output would change. */
  stale: 1,
  /** Bad input data: a raw file that cannot be read. */
  badInput: 2,
  /** Bad template or configuration. */
  badTemplate: 3,
  /** Wrong command-line usage. */
  usage: 64,
} as const;

/** A failure that carries every diagnostic found and the exit code its kind maps to. */
export class ReportError extends Error {
  readonly diagnostics: Diagnostic[];
  readonly exitCode: number;

  constructor(diagnostics: Diagnostic[], exitCode: number) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'ReportError';
    this.diagnostics = diagnostics;
    this.exitCode = exitCode;
  }
}

/** Formats a diagnostic as `file:line: level: message [origin]`. */
export function formatDiagnostic(d: Diagnostic): string {
  const place = d.line === null ? d.file : `${d.file}:${d.line}`;
  return `${place}: ${d.level}: ${d.message} [${d.origin}]`;
}

/** Builds an error diagnostic. */
export function error(origin: Origin, file: string, line: number | null, message: string): Diagnostic {
  return { level: 'error', origin, file, line, message };
}

/** Builds a warning diagnostic. */
export function warning(origin: Origin, file: string, line: number | null, message: string): Diagnostic {
  return { level: 'warning', origin, file, line, message };
}

/**
 * Thrown by a parser for a single file: the first line it could not read, and what it expected.
 * The ingest stage turns it into a {@link Diagnostic} with the file's path.
 */
export class ParseError extends Error {
  readonly line: number | null;

  constructor(message: string, line: number | null) {
    super(message);
    this.name = 'ParseError';
    this.line = line;
  }
}
