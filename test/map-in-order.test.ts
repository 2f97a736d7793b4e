import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapInOrder, mapOnLanes } from '../src/map-in-order.ts';

test('mapInOrder keeps the order, never runs more than the limit at once, starts nothing after a failure, and throws it once the items started have ended', async () => {
  let running = 0;
  let most = 0;
  const delays = [30, 5, 20, 1, 15, 2, 8];
  const results = await mapInOrder(delays, 3, async (ms, i) => {
    running += 1;
    most = Math.max(most, running);
    await new Promise((resolve) => setTimeout(resolve, ms));
    running -= 1;
    return i * 10;
  });
  assert.deepEqual(results, [0, 10, 20, 30, 40, 50, 60]);
  assert.equal(most, 3);

  const started: number[] = [];
  const ended: number[] = [];
  await assert.rejects(
    mapInOrder([0, 1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      // Note: item 0 is still at work when item 1 fails.
      await new Promise((resolve) => setTimeout(resolve, n === 1 ? 5 : 40));
      ended.push(n);
      if (n === 1) throw new Error('boom');
    }),
    /boom/,
  );
  assert.deepEqual(started, [0, 1], 'nothing started after the failure');
  assert.deepEqual(ended.sort(), [0, 1], 'thrown only once item 0 had ended too');
});

test('mapOnLanes shares the items between lanes, a free slot taking the next, and keeps their order', async () => {
  const where: string[] = [];
  const lane = (name: string, slots: number, ms: number) => ({
    slots,
    run: async (item: number) => {
      where[item] = name;
      await new Promise((resolve) => setTimeout(resolve, ms));
      return item * 2;
    },
  });
  const items = Array.from({ length: 12 }, (_, i) => i);
  assert.deepEqual(await mapOnLanes(items, [lane('main', 2, 5), lane('worker', 2, 5)]), items.map((i) => i * 2));
  assert.deepEqual(where.slice(0, 4), ['main', 'worker', 'main', 'worker'], 'slots start a lane at a time in turn');
  assert.ok(where.includes('main') && where.includes('worker'));
  where.length = 0;
  await mapOnLanes([0], [lane('main', 3, 1), lane('worker', 3, 1)]);
  assert.deepEqual(where, ['main'], 'one item: one slot');
});
