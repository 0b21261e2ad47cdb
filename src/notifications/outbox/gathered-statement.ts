interface Waiting<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

export interface GatheredStatementOptions<Item, Result> {
  /** How long the first call waits for others; 0: no wait. */
  waitMs: number;
  /** Run at once when this many calls wait (every worker slot: nothing else can come before the timer). */
  size: number;
  /** The one statement for all the calls gathered: a result for each item, in the same order. */
  run: (items: Item[]) => Promise<Result[]>;
}

/**
 * Calls made within a few milliseconds of each other run as one statement (the outbox's claim and
 * its mark as sent: OutboxClaimBatcher, OutboxSentBatcher). Each call resolves with its own result
 * when the statement is done, or rejects with the statement's error; after close() nothing waits.
 */
export class GatheredStatement<Item, Result> {
  private waiting: Waiting<Item, Result>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(private readonly options: GatheredStatementOptions<Item, Result>) {}

  add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.closing || this.options.waitMs === 0 || this.waiting.length >= this.options.size) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.options.waitMs);
    });
  }

  /** Runs what waits now. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    try {
      const results = await this.options.run(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, index) => waiting.resolve(results[index]));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }

  /** Runs what waits, and every later call at once (shutdown). */
  async close(): Promise<void> {
    this.closing = true;
    await this.flush();
  }
}
