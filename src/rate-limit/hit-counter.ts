import type { Redis } from 'ioredis';

/** What @nestjs/throttler's storage answers for a hit: counts, and times in seconds. */
export interface HitCount {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/** How often the hits counted in this process are added to the shared counts in Redis. */
export const HIT_SYNC_INTERVAL_MS = 200;

/**
 * Adds ARGV[1] hits to a key's window in one step, starting the window (ARGV[2] ms) with its first
 * hit and the block (ARGV[4] ms) once the window's hits pass the limit (ARGV[3]); answers the
 * window's hits and the ms left of the window and of any block. Sent as EVALSHA (ioredis's
 * defineCommand), so the script text crosses the socket once, not with every batch.
 */
const ADD_HITS_SCRIPT = `
local hits = redis.call('INCRBY', KEYS[1], tonumber(ARGV[1]))
local windowLeft = redis.call('PTTL', KEYS[1])
if windowLeft <= 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  windowLeft = tonumber(ARGV[2])
end
local blockLeft = redis.call('PTTL', KEYS[2])
if blockLeft <= 0 and hits > tonumber(ARGV[3]) then
  redis.call('SET', KEYS[2], 1, 'PX', ARGV[4])
  blockLeft = tonumber(ARGV[4])
end
if blockLeft < 0 then blockLeft = 0 end
return { hits, windowLeft, blockLeft }
`;

type AddHits = (hitKey: string, blockKey: string, added: number, ttlMs: number, limit: number, blockMs: number) => Promise<[number, number, number]>;

/** One key's window as this process knows it. */
interface Window {
  /** The shared total as Redis last answered it, plus what this process has counted since. */
  hits: number;
  /** Hits counted here and not yet added in Redis. */
  unsent: number;
  endsAt: number;
  /** 0 when not blocked. */
  blockedUntil: number;
  hitKey: string;
  blockKey: string;
  ttlMs: number;
  limit: number;
  blockMs: number;
}

/**
 * Counts rate-limit hits in this process's memory and, with Redis, shares them with the other
 * processes in batches: the first hit of a key's window is counted in Redis at once (so an address
 * another api process has already counted or blocked is treated as such), every later one in memory,
 * and within HIT_SYNC_INTERVAL_MS all the hits counted since are added in one pipeline, whose answers
 * bring back what the other processes counted. A request then costs no Redis round trip: the
 * limiter's EVAL on every public read and registration was the largest single cost of a cached
 * page (bench/README.md). The price: behind N api processes a client may pass the limit by what it
 * sends to the other processes within one interval. In one process the count is exact.
 *
 * Without Redis, or while it does not answer, the counts stay in memory (the unsent hits are added
 * once it answers again): a rate limiter must not turn a Redis outage into failed requests.
 */
export class HitCounter {
  private readonly windows = new Map<string, Window>();
  /** First hits being counted in Redis, so the hits that arrive meanwhile wait for the same answer. */
  private readonly opening = new Map<string, Promise<Window>>();
  private readonly addHits: AddHits | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private syncing: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis | undefined,
    private readonly onRedisError: (error: Error) => void,
  ) {
    if (redis) {
      redis.defineCommand('seminarHubAddHits', { numberOfKeys: 2, lua: ADD_HITS_SCRIPT });
      this.addHits = (redis as unknown as { seminarHubAddHits: AddHits }).seminarHubAddHits.bind(redis);
    }
  }

  async increment(key: string, ttlMs: number, limit: number, blockMs: number, name: string): Promise<HitCount> {
    const id = `${key}:${name}`;
    const now = Date.now();
    let window = this.current(id, now);
    if (!window) {
      const opening = this.opening.get(id) ?? this.open(id, ttlMs, limit, blockMs);
      const opened = await opening;
      // The hit that opened the window is already in it; the ones that waited for it count here.
      if (this.opening.get(id) === opening) {
        this.opening.delete(id);
        return answer(opened, Date.now());
      }
      window = opened;
    }
    window.hits++;
    window.unsent++;
    this.syncSoon();
    if (window.hits > window.limit && window.blockedUntil <= now) window.blockedUntil = now + window.blockMs;
    return answer(window, now);
  }

  /** How many windows this process keeps: ended ones are forgotten at the sync after their end. */
  get windowCount(): number {
    return this.windows.size;
  }

  /** Adds every unsent hit in Redis now (also run HIT_SYNC_INTERVAL_MS after any hit, and at shutdown); forgets ended windows. */
  async sync(): Promise<void> {
    while (this.syncing) await this.syncing;
    this.syncing = this.send().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.sync();
  }

  /** Armed by activity only (a hit, a new window, hits Redis did not take), so an idle process is not woken. */
  private syncSoon(): void {
    if (this.closed) return;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.sync();
    }, HIT_SYNC_INTERVAL_MS).unref();
  }

  /** The key's window if it is still running; a window past its end, or whose block has ended, starts over. */
  private current(id: string, now: number): Window | undefined {
    const window = this.windows.get(id);
    if (!window) return undefined;
    const ended = window.blockedUntil > 0 ? window.blockedUntil <= now : window.endsAt <= now;
    if (!ended) return window;
    if (window.unsent === 0) this.windows.delete(id);
    return undefined;
  }

  private open(id: string, ttlMs: number, limit: number, blockMs: number): Promise<Window> {
    const promise = (async (): Promise<Window> => {
      const hitKey = `{${id}}:hits`;
      const blockKey = `{${id}}:blocked`;
      const window: Window = { hits: 1, unsent: 1, endsAt: Date.now() + ttlMs, blockedUntil: 0, hitKey, blockKey, ttlMs, limit, blockMs };
      // Not connected (yet, or any more): counted here, and added by a sync once Redis answers.
      if (this.addHits && this.redis?.status === 'ready') {
        try {
          const [hits, windowLeft, blockLeft] = await this.addHits(hitKey, blockKey, 1, ttlMs, limit, blockMs);
          Object.assign(window, { unsent: 0 }, shared(hits, windowLeft, blockLeft, Date.now()));
        } catch (error) {
          this.onRedisError(error as Error);
        }
      }
      if (window.hits > limit && window.blockedUntil === 0) window.blockedUntil = Date.now() + blockMs;
      this.windows.set(id, window);
      // Also when nothing is left to send: the sync is what forgets ended windows.
      this.syncSoon();
      return window;
    })();
    this.opening.set(id, promise);
    return promise;
  }

  private async send(): Promise<void> {
    const now = Date.now();
    const due: [Window, number][] = [];
    for (const [id, window] of this.windows) {
      // Without Redis nothing is ever sent: an ended window is simply forgotten.
      if (this.addHits && window.unsent > 0) due.push([window, window.unsent]);
      else if (window.endsAt <= now && window.blockedUntil <= now) this.windows.delete(id);
    }
    if (!this.redis || !this.addHits || due.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [window, count] of due) {
      window.unsent -= count;
      (pipeline as unknown as { seminarHubAddHits: (...args: unknown[]) => void }).seminarHubAddHits(
        window.hitKey,
        window.blockKey,
        count,
        window.ttlMs,
        window.limit,
        window.blockMs,
      );
    }
    let results: [Error | null, unknown][] | null = null;
    try {
      results = await pipeline.exec();
    } catch (error) {
      this.onRedisError(error as Error);
    }
    const answeredAt = Date.now();
    due.forEach(([window, count], index) => {
      const [error, reply] = results?.[index] ?? [new Error('no answer from Redis'), null];
      if (error) {
        // Kept for the next batch; meanwhile this process goes on counting them.
        window.unsent += count;
        this.syncSoon();
        if (results) this.onRedisError(error);
        return;
      }
      const [hits, windowLeft, blockLeft] = reply as [number, number, number];
      const known = shared(hits, windowLeft, blockLeft, answeredAt);
      window.hits = known.hits + window.unsent;
      window.endsAt = known.endsAt;
      window.blockedUntil = Math.max(window.blockedUntil, known.blockedUntil);
    });
  }
}

function shared(hits: number, windowLeft: number, blockLeft: number, now: number): Pick<Window, 'hits' | 'endsAt' | 'blockedUntil'> {
  return { hits, endsAt: now + windowLeft, blockedUntil: blockLeft > 0 ? now + blockLeft : 0 };
}

function answer(window: Window, now: number): HitCount {
  const blocked = window.blockedUntil > now;
  return {
    totalHits: window.hits,
    timeToExpire: Math.max(0, Math.ceil((window.endsAt - now) / 1000)),
    isBlocked: blocked,
    timeToBlockExpire: blocked ? Math.ceil((window.blockedUntil - now) / 1000) : 0,
  };
}
