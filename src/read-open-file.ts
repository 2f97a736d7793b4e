/**
 * Reading a file through its descriptor, where any failure (no file, no permission, a read cut
 * short) only means "not what was asked": a kept chart to draw again, an input not to cache.
 */
import { closeSync, openSync } from 'node:fs';

/** What `read` gives for `file` opened for reading; null when it cannot be opened or `read` throws. Always closed. */
export function readOpenFile<T>(file: string, read: (fd: number) => T | null): T | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    return read(fd);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
