import { Logger } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { OutboxSentBatcher } from './outbox-sent-batcher.service';
import type { OutboxService } from './outbox.service';

describe('OutboxSentBatcher', () => {
  const config = (sentBatchMs: number, workerConcurrency = 20) => ({ mail: { sentBatchMs }, queue: { workerConcurrency } }) as AppConfig;
  let written: { id: string; messageId: string }[][];
  let failWith: Error | undefined;
  const outbox = {
    markSentMany: jest.fn(async (rows: { id: string; messageId: string }[]) => {
      if (failWith) throw failWith;
      written.push(rows.map(({ id, messageId }) => ({ id, messageId })));
    }),
  } as unknown as OutboxService;

  beforeEach(() => {
    written = [];
    failWith = undefined;
  });

  it('marks every row that finished within the window in one statement, each with its Message-ID', async () => {
    const batcher = new OutboxSentBatcher(config(30), outbox);
    await Promise.all([batcher.markSent('1', '<a@x>'), batcher.markSent('2', '<b@x>'), batcher.markSent('3', '<c@x>')]);
    expect(written).toEqual([
      [
        { id: '1', messageId: '<a@x>' },
        { id: '2', messageId: '<b@x>' },
        { id: '3', messageId: '<c@x>' },
      ],
    ]);
  });

  it('writes at once when every worker slot waits on the batch, without waiting for the timer', async () => {
    const batcher = new OutboxSentBatcher(config(60_000, 2), outbox);
    const started = Date.now();
    await Promise.all([batcher.markSent('1', '<a@x>'), batcher.markSent('2', '<b@x>')]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(written).toHaveLength(1);
  });

  it('writes the waiting rows at shutdown, and each row after it at once', async () => {
    const batcher = new OutboxSentBatcher(config(60_000), outbox);
    const waiting = batcher.markSent('1', '<a@x>');
    await batcher.beforeApplicationShutdown();
    await waiting;
    expect(written).toEqual([[{ id: '1', messageId: '<a@x>' }]]);
    await batcher.markSent('2', '<b@x>');
    expect(written).toHaveLength(2);
  });

  it('fails every job of a batch that could not be written, so the queue retries them, and says so in the log', async () => {
    const batcher = new OutboxSentBatcher(config(10), outbox);
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      failWith = new Error('connection terminated');
      const results = await Promise.allSettled([batcher.markSent('7', '<g@x>'), batcher.markSent('8', '<h@x>')]);
      expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
      expect(logged).toHaveBeenCalledTimes(1);
      expect(String(logged.mock.calls[0][0])).toMatch(/2 sent mail\(s\) could not be marked sent \(outbox 7, 8\): connection terminated/);
      // The next batch is written as usual.
      failWith = undefined;
      await batcher.markSent('9', '<i@x>');
      expect(written).toEqual([[{ id: '9', messageId: '<i@x>' }]]);
    } finally {
      logged.mockRestore();
    }
  });
});
