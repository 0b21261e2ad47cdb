import type { AppConfig } from '../../config/app-config';
import { OutboxClaimBatcher } from './outbox-claim-batcher.service';
import type { MailKind } from './outbox-message.entity';
import type { ClaimedRow, OutboxService } from './outbox.service';

describe('OutboxClaimBatcher', () => {
  const config = (workerConcurrency = 20) => ({ queue: { workerConcurrency } }) as AppConfig;
  const KINDS: readonly MailKind[] = ['invitation', 'reminder'];
  let statements: string[][];
  let failWith: Error | undefined;
  /** Rows 1–9 are pending; anything else is gone. */
  const outbox = {
    claimManyForSending: jest.fn(async (ids: string[]) => {
      statements.push([...ids]);
      if (failWith) throw failWith;
      return new Map(ids.filter((id) => Number(id) < 10).map((id) => [id, { row: { id }, suppressed: null, eventVersion: '1' } as unknown as ClaimedRow]));
    }),
  } as unknown as OutboxService;

  beforeEach(() => {
    statements = [];
    failWith = undefined;
  });

  it('claims the rows of the jobs that start together in one statement, and gives each job its own row', async () => {
    const batcher = new OutboxClaimBatcher(config(), outbox);
    const claimed = await Promise.all(['1', '2', '3', '42'].map((id) => batcher.claim(id, KINDS)));
    expect(statements).toEqual([['1', '2', '3', '42']]);
    expect(claimed.map((claim) => claim?.row.id ?? null)).toEqual(['1', '2', '3', null]);
  });

  it('does not wait for the timer once every worker slot waits on it, and starts a new batch after', async () => {
    const batcher = new OutboxClaimBatcher(config(2), outbox);
    await Promise.all([batcher.claim('1', KINDS), batcher.claim('2', KINDS)]);
    await batcher.claim('3', KINDS);
    expect(statements).toEqual([['1', '2'], ['3']]);
  });

  it('gives a row claimed twice in one batch (a job delivered twice) to both jobs', async () => {
    const batcher = new OutboxClaimBatcher(config(), outbox);
    const [first, second] = await Promise.all([batcher.claim('5', KINDS), batcher.claim('5', KINDS)]);
    expect([first?.row.id, second?.row.id]).toEqual(['5', '5']);
  });

  it('fails every job of a batch that could not be claimed, so the queue retries each', async () => {
    failWith = new Error('the database is unavailable');
    const batcher = new OutboxClaimBatcher(config(), outbox);
    const outcomes = await Promise.allSettled([batcher.claim('1', KINDS), batcher.claim('2', KINDS)]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });

  it('claims at once when the application shuts down', async () => {
    const batcher = new OutboxClaimBatcher(config(), outbox);
    await batcher.beforeApplicationShutdown();
    const started = Date.now();
    await batcher.claim('1', KINDS);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(statements).toEqual([['1']]);
  });
});
