/**
 * The same capture kept twice (a run copied into two folders, a log and its pasted copy): two
 * summaries in different files with exactly the same figures. Counting both would weigh one run
 * twice; the first in path order is kept. Pure.
 */
import type { OhaSummary, SourceRef } from './types.ts';

/** A summary dropped as a copy of another. */
export interface DuplicateCapture {
  dropped: SourceRef;
  kept: SourceRef;
}

function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON of a value with object keys sorted at every level, so equal figures give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => byCode(a, b)))
      : v,
  );
}

/**
 * Keeps one of the summaries whose figures are the same as a summary's in another file: the one in
 * the first file by path (code unit order), then by position. Summaries of one file are never
 * merged (a file holds distinct runs). Returns the kept items in their given order and the dropped ones.
 */
export function dropDuplicateCaptures<T extends { source: SourceRef; summary: OhaSummary }>(
  items: T[],
): { kept: T[]; duplicates: DuplicateCapture[] } {
  const ordered = [...items].sort((a, b) => byCode(a.source.file, b.source.file) || a.source.index - b.source.index);
  const first = new Map<string, SourceRef>();
  const dropped = new Map<T, SourceRef>();
  for (const item of ordered) {
    const key = canonicalJson(item.summary);
    const seen = first.get(key);
    if (seen === undefined) first.set(key, item.source);
    else if (seen.file !== item.source.file) dropped.set(item, seen);
  }
  return {
    kept: items.filter((item) => !dropped.has(item)),
    duplicates: ordered.filter((item) => dropped.has(item)).map((item) => ({ dropped: item.source, kept: dropped.get(item)! })),
  };
}
