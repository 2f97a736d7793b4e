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

/** Whether `key` is an array index, which JavaScript lists first, in numeric order, among an object's keys. */
function isIndex(key: string): boolean {
  return /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 4294967295;
}

/**
 * JSON of a value with object keys sorted at every level, so equal figures give equal text.
 * The text of `JSON.stringify` with every object rebuilt from its entries sorted in code-unit order
 * (array indices, such as status codes, come first in numeric order, as in any rebuilt object),
 * written directly: a replacer that rebuilds objects costs some 50 µs a summary.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v: unknown) => (v === undefined || typeof v === 'function' || typeof v === 'symbol' ? 'null' : canonicalJson(v))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort(byCode);
  const indices = keys.filter(isIndex);
  const ordered = indices.length === 0 ? keys : [...indices.sort((a, b) => Number(a) - Number(b)), ...keys.filter((k) => !isIndex(k))];
  const parts: string[] = [];
  for (const key of ordered) {
    const v = record[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(',')}}`;
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
  // Note: only summaries that agree on a few headline figures can be equal; the whole canonical JSON
  // (some 20 µs a summary) is written for those alone.
  const byHeadline = new Map<string, T[]>();
  for (const item of ordered) {
    const { total, requestsPerSec, average, slowest, percentiles } = item.summary;
    const key = JSON.stringify([total, requestsPerSec, average, slowest, percentiles.p50, percentiles.p99]);
    const group = byHeadline.get(key);
    if (group === undefined) byHeadline.set(key, [item]);
    else group.push(item);
  }
  const dropped = new Map<T, SourceRef>();
  for (const group of byHeadline.values()) {
    if (group.length < 2) continue;
    const first = new Map<string, SourceRef>();
    for (const item of group) {
      const key = canonicalJson(item.summary);
      const seen = first.get(key);
      if (seen === undefined) first.set(key, item.source);
      else if (seen.file !== item.source.file) dropped.set(item, seen);
    }
  }
  return {
    kept: items.filter((item) => !dropped.has(item)),
    duplicates: ordered.filter((item) => dropped.has(item)).map((item) => ({ dropped: item.source, kept: dropped.get(item)! })),
  };
}
