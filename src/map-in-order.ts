/**
 * Work on many items a few at a time, results in the items' order: charts drawn on the main thread
 * and workers (`write/draw-charts.ts`), temporary files written and flushed (`write/write-outputs.ts`).
 * Pure scheduling: reads and writes nothing itself.
 */

/** Where items are worked on: `slots` items at a time, each by `run`. */
export interface Lane<T, R> {
  slots: number;
  run: (item: T, index: number) => Promise<R>;
}

/**
 * Works on every item in one of the lanes' slots (a free slot takes the next item), and returns
 * the results in the items' order. Slots are started a lane at a time in turn, so with few items
 * every lane still gets some. After a failure no further item is started, and the first failure is
 * thrown once every item started has ended: nothing is still at work when the caller reacts to it
 * (undoes a write, stops a worker).
 */
export async function mapOnLanes<T, R>(items: readonly T[], lanes: readonly Lane<T, R>[]): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const slot = async (run: Lane<T, R>['run']) => {
    while (failure === null && next < items.length) {
      const i = next++;
      try {
        results[i] = await run(items[i]!, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const slots: Promise<void>[] = [];
  for (let k = 0; slots.length < items.length && lanes.some((lane) => k < lane.slots); k++) {
    for (const lane of lanes) if (k < lane.slots && slots.length < items.length) slots.push(slot(lane.run));
  }
  if (slots.length === 0 && items.length > 0 && lanes.length > 0) slots.push(slot(lanes[0]!.run));
  await Promise.all(slots);
  // Note: the cast, as TypeScript does not see the slots' assignments to `failure`.
  const failed = failure as { error: unknown } | null;
  if (failed !== null) throw failed.error;
  return results;
}

/**
 * Calls `fn` on every item, at most `limit` at a time, and returns the results in the items' order.
 * After a failure no further item is started; the first failure is thrown once the items started
 * have ended.
 */
export function mapInOrder<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  return mapOnLanes(items, [{ slots: Math.max(1, limit), run: fn }]);
}
