/** Byte sizes the way oha prints them (the `byte-unit` crate, binary multiples, two decimals). */

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Formats a byte count as oha does: `4.75 KiB`, `1.36 GiB`; below 1 KiB `80 B`. */
export function formatBytes(bytes: number): string {
  for (let index = UNITS.length - 1; index >= 0; index--) {
    const size = 1024 ** (index + 1);
    if (bytes >= size) return `${(bytes / size).toFixed(2)} ${UNITS[index]}`;
  }
  return `${bytes} B`;
}
