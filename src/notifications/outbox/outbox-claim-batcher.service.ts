import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { MailKind } from './outbox-message.entity';
import { ClaimedRow, OutboxService } from './outbox.service';

/** How long a claim waits for the claims of the jobs starting with it. */
export const CLAIM_BATCH_MS = 2;

interface Waiting {
  id: string;
  suppressibleKinds: readonly MailKind[];
  resolve: (claimed: ClaimedRow | null) => void;
  reject: (error: unknown) => void;
}

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
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
  ) {}

  /** The row, claimed (OutboxService.claimManyForSending); null when it is gone or no longer pending. */
  claim(id: string, suppressibleKinds: readonly MailKind[]): Promise<ClaimedRow | null> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ id, suppressibleKinds, resolve, reject });
      if (this.closing || this.waiting.length >= this.config.queue.workerConcurrency) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), CLAIM_BATCH_MS);
    });
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const waiting = this.waiting;
    this.waiting = [];
    // One statement per set of suppressible kinds (the mail worker always passes the same one).
    const batches = new Map<readonly MailKind[], Waiting[]>();
    for (const claim of waiting) batches.set(claim.suppressibleKinds, [...(batches.get(claim.suppressibleKinds) ?? []), claim]);
    await Promise.all([...batches].map(([kinds, batch]) => this.claimTogether(batch, kinds)));
  }

  private async claimTogether(batch: Waiting[], suppressibleKinds: readonly MailKind[]): Promise<void> {
    try {
      const claimed = await this.outbox.claimManyForSending(
        batch.map((waiting) => waiting.id),
        suppressibleKinds,
      );
      // The same row twice (a job delivered twice) is claimed once and given to both, as two claims one after the other would.
      for (const waiting of batch) waiting.resolve(claimed.get(waiting.id) ?? null);
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.flush();
  }
}
