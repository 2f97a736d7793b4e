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
  /**
   * For one message standing for several files (a layout that places none of them): every one of
   * them, shown as `file` is. Absent otherwise.
   */
  files?: string[];
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
  /** A bug of mesh-report itself (EX_SOFTWARE): anything no other code describes. */
  internal: 70,
  /** An output could not be written (EX_CANTCREAT); the previous outputs are left as they were. */
  cannotWrite: 73,
  /** The operating system could not read an input (EX_IOERR): permissions, a folder in place of a file, ... */
  cannotRead: 74,
  /**
   * Another mesh-report command still held the lock of a folder to write after the wait
   * (EX_TEMPFAIL): running the command again later works.
   */
  busy: 75,
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

/** What a {@link FileError} was doing with its path. */
export type FileAction = 'read' | 'write' | 'remove' | 'recover';

/**
 * A file-system failure a person can act on: what could not be done to which path, why in plain
 * words (from the OS error code), and what to do. `path` is absolute; the CLI shows it relative.
 */
export class FileError extends Error {
  readonly action: FileAction;
  readonly path: string;
  readonly reason: string;
  readonly exitCode: number;
  /** A sentence on the state left behind ("The previous outputs are unchanged."), if any. */
  readonly note: string | undefined;

  constructor(action: FileAction, file: string, reason: string, options: { cause?: unknown; exitCode?: number; note?: string } = {}) {
    super(`Cannot ${action} \`${file}\`: ${reason}${options.note ? `. ${options.note}` : ''}`, { cause: options.cause });
    this.name = 'FileError';
    this.action = action;
    this.path = file;
    this.reason = reason;
    this.note = options.note;
    this.exitCode = options.exitCode ?? (action === 'read' ? EXIT.cannotRead : EXIT.cannotWrite);
  }

  /** The same error with `note` added. */
  withNote(note: string): FileError {
    return new FileError(this.action, this.path, this.reason, { cause: this.cause, exitCode: this.exitCode, note });
  }

  /** The message with the path as `show` prints it (e.g. relative to the working folder). */
  describe(show: (file: string) => string): string {
    return `Cannot ${this.action} \`${show(this.path)}\`: ${this.reason}${this.note ? `.\n${this.note}` : ''}`;
  }
}

/** The code of a Node.js system error (`EACCES`, ...), or undefined for any other value. */
export function systemErrorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/** The path a Node.js system error names, if any. */
export function systemErrorPath(e: unknown): string | undefined {
  const p = (e as { path?: unknown } | null)?.path;
  return typeof p === 'string' ? p : undefined;
}

/** Why an OS error code stopped a read or a write, and what to do, in words. */
export function osErrorReason(code: string | undefined, action: FileAction, fallback: string): string {
  const writing = action !== 'read';
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return writing ? 'permission denied; make the folder writable for this user or change `out`' : 'permission denied; make it readable for this user';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'no space left on the device; free some space and run again';
    case 'EISDIR':
      return writing ? 'a folder is in the way; remove it or change `out`' : 'it is a folder; expected a file';
    case 'ENOTDIR':
    case 'EEXIST':
      return writing ? 'a file is in the way of a folder on its path; remove it or change `out`' : 'a part of its path is a file, not a folder';
    case 'EROFS':
      return 'the file system is read-only; change `out` to a writable place';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files; raise the limit (`ulimit -n`) or close other programs, then run again';
    case 'ENOTREG':
      return 'it is not a regular file (a named pipe, socket or device); expected a file';
    case 'ENOENT':
      return writing ? 'a folder on its path disappeared while writing; run again' : 'no such file or folder';
    case 'ENAMETOOLONG':
      return 'the name is too long for the file system; choose a shorter path';
    case 'ELOOP':
      return 'too many symbolic links on its path (a link loop?)';
    case 'EIO':
      return 'the device reported an input/output error; check the disk';
    case 'EBUSY':
    case 'ETXTBSY':
      return 'the file is busy (open in another program?); close it and run again';
    default:
      return code === undefined ? fallback : `${code} (${fallback})`;
  }
}

/**
 * Turns a Node.js system error into a {@link FileError} naming `file` (default: the path the error
 * names); any other value is returned as is.
 */
export function toFileError(e: unknown, action: FileAction, file?: string): unknown {
  if (e instanceof FileError) return e;
  const code = systemErrorCode(e);
  const where = file ?? systemErrorPath(e);
  if (code === undefined || where === undefined) return e;
  return new FileError(action, where, osErrorReason(code, action, (e as Error).message), { cause: e });
}
