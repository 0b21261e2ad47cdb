import { HIT_SYNC_INTERVAL_MS, HitCounter } from './hit-counter';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('HitCounter without Redis (one process, the embedded setup)', () => {
  it('counts exactly, blocks past the limit for the block time, then starts a fresh window', async () => {
    const counter = new HitCounter(undefined, () => undefined);
    try {
      const answers = [];
      for (let n = 0; n < 4; n++) answers.push(await counter.increment('reads:203.0.113.9', 60_000, 3, 300, 'default'));
      expect(answers.map((answer) => [answer.totalHits, answer.isBlocked])).toEqual([
        [1, false],
        [2, false],
        [3, false],
        [4, true],
      ]);
      expect(answers[3].timeToBlockExpire).toBe(1);
      // Another key is another window.
      expect((await counter.increment('reads:203.0.113.10', 60_000, 3, 300, 'default')).totalHits).toBe(1);
      await sleep(400);
      const after = await counter.increment('reads:203.0.113.9', 60_000, 3, 300, 'default');
      expect([after.totalHits, after.isBlocked]).toEqual([1, false]);
    } finally {
      await counter.close();
    }
  });

  it('forgets ended windows, so a stream of new addresses does not pile up in memory', async () => {
    const counter = new HitCounter(undefined, () => undefined);
    try {
      for (let n = 0; n < 50; n++) {
        await counter.increment(`reads:198.51.100.${n}`, 100, 10, 100, 'default');
        await counter.increment(`reads:198.51.100.${n}`, 100, 10, 100, 'default');
      }
      expect(counter.windowCount).toBe(50);
      await sleep(150);
      await counter.sync();
      expect(counter.windowCount).toBe(0);
      // And with no hits, no timer is left behind (jest would report an open handle).
      await sleep(HIT_SYNC_INTERVAL_MS * 2);
    } finally {
      await counter.close();
    }
  });
});
