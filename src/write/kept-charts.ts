/**
 * What a rebuild needs to know to keep a chart's PNG: what the previous build's manifest recorded,
 * whether a file on disk holds given text byte for byte, and whether a PNG on disk is whole. Reads
 * files (synchronously: a report's few small files are read sooner in this thread than through
 * libuv's pool and back); writes nothing.
 */
import { createHash } from 'node:crypto';
import { fstatSync, readSync } from 'node:fs';
import { readOpenFile } from '../read-open-file.ts';
import { MAX_MANIFEST_BYTES, readFileWithin } from '../ingest/input-size.ts';
import type { OutputFile } from './write-outputs.ts';

/** What the previous build recorded in its manifest. */
export interface PreviousBuild {
  /** Its renderer, as JSON. */
  renderer: string;
  /** Its files, relative to the report's folder. */
  files: Set<string>;
}

/** The renderer and files the manifest at `manifest` records; null when there is none, or it cannot be read. */
export function readPreviousBuild(manifest: string): PreviousBuild | null {
  try {
    const parsed = JSON.parse(readFileWithin(manifest, MAX_MANIFEST_BYTES, 'a list of outputs', '').toString('utf8')) as { renderer?: unknown; files?: unknown };
    if (parsed.renderer === undefined || !Array.isArray(parsed.files)) return null;
    return { renderer: JSON.stringify(parsed.renderer), files: new Set(parsed.files.filter((f): f is string => typeof f === 'string')) };
  } catch {
    // Note: no manifest, or one that cannot be read (or is over its limit): nothing is known to be reusable, and every chart is drawn.
    return null;
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_END = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/** Whether `bytes` is a whole PNG: its signature first and its end chunk last. */
export function isWholePng(bytes: Buffer): boolean {
  return bytes.length > PNG_SIGNATURE.length + PNG_END.length && bytes.subarray(0, 8).equals(PNG_SIGNATURE) && bytes.subarray(-12).equals(PNG_END);
}

/**
 * The size of the file at `file` when it is a whole PNG, read at both ends only: its signature
 * first and its end chunk last (what {@link isWholePng} checks of the bytes); null when it is not.
 */
export function wholePngSize(file: string): number | null {
  return readOpenFile(file, (fd) => {
    const info = fstatSync(fd);
    const size = info.size;
    if (!info.isFile() || size <= PNG_SIGNATURE.length + PNG_END.length) return null;
    const head = Buffer.alloc(PNG_SIGNATURE.length);
    const tail = Buffer.alloc(PNG_END.length);
    const whole =
      readSync(fd, head, 0, head.length, 0) === head.length &&
      readSync(fd, tail, 0, tail.length, size - tail.length) === tail.length &&
      head.equals(PNG_SIGNATURE) &&
      tail.equals(PNG_END);
    return whole ? size : null;
  });
}

/** Reads `size` bytes of `fd` into `into` from its start; false when the file has fewer. */
function readExactly(fd: number, into: Buffer, size: number): boolean {
  let got = 0;
  while (got < size) {
    const n = readSync(fd, into, got, size - got, got);
    if (n === 0) return false;
    got += n;
  }
  return true;
}

/**
 * Compares bytes with files through a buffer it reuses: the bytes on disk are only compared, never
 * kept, and fresh memory for each file (megabytes of specs) cost more than reading them (measured:
 * a page fault per 4 KiB). A file of another size is not read at all.
 */
export class FileComparer {
  private onDisk = Buffer.alloc(0);

  /** Whether the file at `file` holds exactly `bytes`. */
  holds(file: string, bytes: Buffer): boolean {
    return this.read(file, bytes.length)?.equals(bytes) ?? false;
  }

  /** Whether the file at `file` holds `print.bytes` bytes whose SHA-256 is `print.sha256`. */
  holdsPrint(file: string, print: { bytes: number; sha256: string }): boolean {
    const onDisk = this.read(file, print.bytes);
    return onDisk !== null && sha256Hex(onDisk) === print.sha256;
  }

  /** The bytes of the file at `file` when it has exactly `size` (valid until the next call), else null. */
  private read(file: string, size: number): Buffer | null {
    return readOpenFile(file, (fd) => {
      if (fstatSync(fd).size !== size) return null;
      if (this.onDisk.length < size) this.onDisk = Buffer.allocUnsafe(Math.max(size, this.onDisk.length * 2));
      return readExactly(fd, this.onDisk, size) ? this.onDisk.subarray(0, size) : null;
    });
  }
}

/** The SHA-256 of `bytes`, in hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * An output whose bytes are known to be on disk already, `sizeOnDisk` bytes (so the write leaves
 * it without reading it), with its content made by `load` only when asked for, and once: a kept chart's PNG (read from disk) and spec (printed again) need not be
 * held in memory for a write that leaves them as they are.
 */
export function outputOnDisk(file: string, sizeOnDisk: number, load: () => string | Buffer): OutputFile {
  let content: string | Buffer | undefined;
  return {
    path: file,
    sizeOnDisk,
    get content() {
      content ??= load();
      return content;
    },
  };
}
