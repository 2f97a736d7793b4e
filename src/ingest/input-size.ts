/**
 * Largest inputs read whole, and the check that refuses a larger one from its size alone, before a
 * byte of it is read: memory then stays bounded whatever lies in the data folder. Each limit is far
 * above what the input legitimately holds, and far below what would exhaust memory (measured peak
 * resident memory of a whole `report` build at the limit is given with each).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { ParseError } from '../diagnostics.ts';

/**
 * Largest template, 256 KiB: a report template is a few KiB of Markdown and directives. Its
 * Markdown tree and the report rendered from it cost hundreds of bytes of memory per byte of text:
 * 30 MB ran out of memory at 4.6 GB, 1 MiB of prose peaks at 0.76 GB, 256 KiB at about 0.3 GB.
 */
export const MAX_TEMPLATE_BYTES = 256 * 1024;

/**
 * Largest Prometheus export (`.json`), 128 MiB: a `query_range` answer of 11,000 points a series
 * for 300 series is about 75 MiB as Prometheus sends it, 110 MiB as `fetch-metrics` saves it
 * (one sample a line). A build reading one at the limit peaks at about 0.8 GB.
 */
export const MAX_PROMETHEUS_EXPORT_BYTES = 128 * 1024 ** 2;

/**
 * Largest Grafana panel CSV (`.csv`), 32 MiB: a panel export is rarely over 1 MiB (a day of 50
 * series at a 15 s step is 2 MiB). It is read one record at a time, but holds more values per
 * byte than a Prometheus export, each kept as a sample object (a build of 30 MiB peaks at about
 * 0.7 GB).
 */
export const MAX_GRAFANA_CSV_BYTES = 32 * 1024 ** 2;

/**
 * Largest `dataset.json` (and repository configuration), 1 MiB: a configuration is a few KiB of
 * names, rules and queries; a thousand metric rules are about 200 KiB.
 */
export const MAX_CONFIG_BYTES = 1024 ** 2;

/**
 * Largest sidecar `report:diff` reads, 64 MiB: a sidecar holds a few hundred bytes of figures per
 * run (the sample's 66 runs are 60 KiB), so this is some 100,000 runs.
 */
export const MAX_SIDECAR_BYTES = 64 * 1024 ** 2;

/**
 * Largest outputs manifest (`<report>.outputs.json`), 16 MiB: it lists a report's files, about
 * 100 bytes each, so this is some 150,000 charts. One over it is treated as unreadable (a warning;
 * no earlier output removed, every chart drawn again).
 */
export const MAX_MANIFEST_BYTES = 16 * 1024 ** 2;

/** `1.0 MiB` for 1048576, `256 KiB` for 262144: sizes in messages. */
export function formatSize(bytes: number): string {
  return bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/**
 * Why a file of `size` bytes is refused as `what` (`a template`), or null when it is within `limit`.
 * `advice` says how to stay within it.
 */
export function oversizeMessage(size: number, limit: number, what: string, advice: string): string | null {
  if (size <= limit) return null;
  return `Cannot read a file of ${formatSize(size)} (${size} bytes) as ${what}: expected at most ${formatSize(limit)}, the limit mesh-report reads so that memory stays bounded; ${advice}`;
}

/** Thrown by {@link readFileWithin} for a file over its limit, with the message to show; a file's ingest reports it as bad input. */
export class OversizeError extends ParseError {
  constructor(message: string) {
    super(message, null);
    this.name = 'OversizeError';
  }
}

/**
 * The bytes of `file`, after checking its size on the open descriptor (so the file measured is
 * the file read); never more than `limit` bytes are read, even from a file growing meanwhile.
 * Throws {@link OversizeError} (see {@link oversizeMessage}) over `limit`, and the system's error
 * when it cannot be opened or read: `EISDIR` for a folder, `ENOTREG` for a named pipe, socket or
 * device (a link to `/dev/zero`), which is never read.
 */
export function readFileWithin(file: string, limit: number, what: string, advice: string): Buffer {
  // Note: opened without blocking, so that a named pipe (which waits for a writer) is refused, not waited on.
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${file}'`), { code: 'EISDIR', path: file });
    if (!info.isFile()) throw Object.assign(new Error(`not a regular file: '${file}'`), { code: 'ENOTREG', path: file });
    const { size } = info;
    const refused = oversizeMessage(size, limit, what, advice);
    if (refused !== null) throw new OversizeError(refused);
    // Note: room for one byte more than expected, to tell a file that grew since `fstat`.
    let buffer = Buffer.allocUnsafe(Math.min(size, limit) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > limit) throw new OversizeError(oversizeMessage(length, limit, what, advice)!);
        const grown = Buffer.allocUnsafe(Math.min(length * 2, limit + 1));
        buffer.copy(grown);
        buffer = grown;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) return buffer.subarray(0, length);
      length += n;
    }
  } finally {
    closeSync(fd);
  }
}
