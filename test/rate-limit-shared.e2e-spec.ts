import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { loadConfig } from '../src/config/app-config';
import { RateLimitStorage } from '../src/rate-limit/rate-limit.storage';
import { waitUntil } from './support/mailbox';
import { RedisServer } from './support/redis-server';

const MINUTE_MS = 60_000;

/**
 * The rate limit shared by several api processes through Redis, counted in each process's memory
 * and added in Redis in batches (rate-limit/hit-counter.ts): what one process counts reaches the
 * others, blocks included, and hits counted while Redis is away are added once it is back. Each
 * RateLimitStorage here stands for one api process; the Redis is the suite's own, so it can be
 * stopped.
 */
describe('rate limits shared by several api processes', () => {
  let redis: RedisServer;
  let namespace = 0;
  const storages: RateLimitStorage[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterEach(async () => {
    await Promise.all(storages.splice(0).map((storage) => storage.onApplicationShutdown()));
  });
  afterAll(async () => {
    await redis?.remove();
  });

  /** `count` api processes on one Redis, under a namespace of this test's own. */
  async function processes(count: number): Promise<RateLimitStorage[]> {
    const config = loadConfig({ ADMIN_TOKEN: 'a-long-enough-admin-token', REDIS_URL: redis.url, QUEUE_NAMESPACE: `shared${++namespace}` });
    const made = Array.from({ length: count }, () => new RateLimitStorage(config));
    storages.push(...made);
    await Promise.all(made.map((storage) => storage.onModuleInit()));
    return made;
  }
  const hit = (storage: RateLimitStorage, key = 'default:writes:198.51.100.7', limit = 5) => storage.increment(key, MINUTE_MS, limit, MINUTE_MS, 'default');

  it("counts a window's first hit in Redis at once, so another process counts the same address on from there", async () => {
    const [a, b] = await processes(2);
    expect((await hit(a)).totalHits).toBe(1);
    expect((await hit(b)).totalHits).toBe(2);
    // Another address, and the same address in another class, are other windows.
    expect((await hit(b, 'default:writes:198.51.100.8')).totalHits).toBe(1);
    expect((await hit(b, 'default:reads:198.51.100.7')).totalHits).toBe(1);
  });

  it('counts later hits in memory, exactly within one process, and blocks past the limit with no round trip', async () => {
    const [a] = await processes(1);
    const answers = [];
    for (let n = 0; n < 7; n++) answers.push(await hit(a, undefined, 5));
    expect(answers.map((answer) => [answer.totalHits, answer.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, false],
      [5, false],
      [6, true],
      [7, true],
    ]);
    expect(answers[5].timeToBlockExpire).toBeGreaterThan(55);
    expect(answers[5].timeToBlockExpire).toBeLessThanOrEqual(60);
  });

  it("adds each process's hits in Redis at its next sync, learning the others' from the answer, the block included", async () => {
    const [a, b, c] = await processes(3);
    for (let n = 0; n < 4; n++) await hit(a);
    expect((await hit(b)).totalHits).toBe(2); // a's first hit only: its next three are not in Redis yet
    await a.syncHits();
    // Counted on what b knew at its first hit (the bound on a shared limit's lag: one interval)...
    expect((await hit(b)).totalHits).toBe(3);
    // ...and its sync adds it and brings a's: 6 in all, past 5, so Redis keeps a block.
    await b.syncHits();
    const afterSync = await hit(b);
    expect([afterSync.totalHits, afterSync.isBlocked]).toEqual([7, true]);
    // A process that has not seen this address yet refuses it from its first hit.
    expect((await hit(c)).isBlocked).toBe(true);
  });

  it('syncs by itself within a fraction of a second', async () => {
    const [a, b] = await processes(2);
    const direct = new Redis(redis.url, { keyPrefix: `shared${namespace}:throttle:` });
    const inRedis = (count: number) => async () => Number(await direct.get('{default:writes:198.51.100.7:default}:hits')) === count;
    try {
      for (let n = 0; n < 3; n++) await hit(a, undefined, 100);
      await waitUntil(inRedis(3), "a's hits in Redis", 5000);
      expect((await hit(b, undefined, 100)).totalHits).toBe(4);
      for (let n = 0; n < 3; n++) await hit(a, undefined, 100);
      await waitUntil(inRedis(7), "a's later hits in Redis", 5000);
      // b last heard from Redis at its first hit, so this one is counted on what it knew then; its sync adds it and brings a's.
      expect((await hit(b, undefined, 100)).totalHits).toBe(5);
      await waitUntil(inRedis(8), "b's hit in Redis", 5000);
      await b.syncHits(); // waits for the sync in flight, if its answer is not read yet
      expect((await hit(b, undefined, 100)).totalHits).toBe(9);
    } finally {
      direct.disconnect();
    }
  });

  it('goes on counting in memory while Redis is away, and adds those hits once it is back', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const [a, b] = await processes(2);
      await hit(a);
      await redis.stop();
      const during = [];
      for (let n = 0; n < 6; n++) during.push(await hit(a));
      expect(during.map((answer) => answer.isBlocked)).toEqual([false, false, false, false, true, true]);
      await a.syncHits(); // fails, keeps them
      await redis.run();
      await waitUntil(
        async () => {
          await a.syncHits();
          return (await hit(b)).isBlocked;
        },
        'the hits counted during the outage to reach the other process',
        20_000,
      );
      expect(warn.mock.calls.some(([message]) => /Redis/.test(String(message)))).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });
});
