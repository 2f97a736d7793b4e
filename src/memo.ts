/**
 * Memos: a value computed from some bytes (and a few options), remembered by them for later builds.
 * The parse cache (`ingest/parse-cache.ts`) is one; ingest keeps parses in it, and the render
 * remembers there how chart specs printed and what Markdown a tree gave. What a memo returns is
 * what `compute` gave for the same key, so a result never depends on whether it was remembered.
 */

/** Where values are remembered: by `kind`, `parts` (as JSON) and `bytes`. */
export interface Memo {
  /** The value remembered for the key, or `undefined`; a copy of its own each time. */
  get(kind: string, parts: unknown, bytes: Uint8Array): unknown;
  /** Remembers `value` (anything `v8.serialize` takes) for the key, as it is now. */
  set(kind: string, parts: unknown, bytes: Uint8Array, value: unknown): void;
  /** Whether values are remembered at all. */
  readonly enabled: boolean;
}

/** How a value is remembered and read back (default: as it is). */
export interface MemoCodec<T> {
  encode: (value: T) => unknown;
  decode: (kept: unknown) => T;
}

/**
 * The value `compute` gives, from `memo` when remembered for `kind`, `parts` and `bytes`, else
 * computed and remembered (a `compute` that throws remembers nothing). Without a memo, or `bytes`
 * (`null`: not worth keying), it only computes.
 */
export function memoized<T>(
  memo: Memo | undefined,
  kind: string,
  parts: unknown,
  bytes: Uint8Array | null,
  compute: () => T,
  codec: MemoCodec<T> = { encode: (v) => v, decode: (k) => k as T },
): T {
  if (memo === undefined || bytes === null || !memo.enabled) return compute();
  const kept = memo.get(kind, parts, bytes);
  if (kept !== undefined) return codec.decode(kept);
  const value = compute();
  memo.set(kind, parts, bytes, codec.encode(value));
  return value;
}

/** {@link memoized} for an asynchronous `compute` (a per-request CSV read on worker threads). */
export async function memoizedAsync<T>(memo: Memo | undefined, kind: string, parts: unknown, bytes: Uint8Array | null, compute: () => Promise<T>): Promise<T> {
  if (memo === undefined || bytes === null || !memo.enabled) return compute();
  const kept = memo.get(kind, parts, bytes);
  if (kept !== undefined) return kept as T;
  const value = await compute();
  memo.set(kind, parts, bytes, value);
  return value;
}
