import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { MailKind } from './outbox-message.entity';
import { GatheredStatement } from './gathered-statement';
import { ClaimedRow, OutboxService } from './outbox.service';

/** How long a claim waits for the claims of the jobs starting with it. */
export const CLAIM_BATCH_MS = 2;

/**
 * Claims the rows of the mail jobs that start together in one statement
 * (OutboxService.claimManyForSending) instead of one each. Jobs start in groups: the sent batcher
 * completes the jobs of a batch at once, and the worker then takes as many new ones. A claim waits
 * at most CLAIM_BATCH_MS, or none when every worker slot is waiting on it, or at shutdown. Each
 * row's claim is what it was on its own (the statement treats every row apart), so a crash, a
 * retry or a suppressed address behave as before; a batch that cannot be written fails each of its
 * jobs, which the queue retries.
 */
@Injectable()
export class OutboxClaimBatcher implements BeforeApplicationShutdown {
  /** One per set of suppressible kinds (the mail worker always passes the same one). */
  private readonly statements = new Map<readonly MailKind[], GatheredStatement<string, ClaimedRow | null>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
  ) {}

  /** The row, claimed (OutboxService.claimManyForSending); null when it is gone or no longer pending. */
  claim(id: string, suppressibleKinds: readonly MailKind[]): Promise<ClaimedRow | null> {
    let statement = this.statements.get(suppressibleKinds);
    if (!statement) {
      statement = new GatheredStatement({
        waitMs: CLAIM_BATCH_MS,
        size: this.config.queue.workerConcurrency,
        run: async (ids) => {
          const claimed = await this.outbox.claimManyForSending(ids, suppressibleKinds);
          // The same row twice (a job delivered twice) is claimed once and given to both, as two claims one after the other would.
          return ids.map((rowId) => claimed.get(rowId) ?? null);
        },
      });
      this.statements.set(suppressibleKinds, statement);
    }
    return statement.add(id);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.statements.values()].map((statement) => statement.close()));
  }
}
