import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '../../auth/audit/audit-log.service';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DueEventsReader } from '../../events/due-events.reader';
import { RegistrationsRepository } from '../registrations.repository';

const BATCH = 500;

/**
 * The retention the consent notice states (PIPA): registrations of events that ended more than
 * PERSONAL_DATA_RETENTION_DAYS ago lose the person (name, email, company, consents) and stay as
 * anonymous counts. Bounded batches, each in its own transaction with its audit record.
 */
@Injectable()
export class AnonymiseExpired {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registrations: RegistrationsRepository,
    private readonly events: DueEventsReader,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<number> {
    const endedBefore = new Date(this.clock.nowMs() - this.config.personalDataRetentionDays * 86_400_000);
    const ended = await this.events.endedBefore(endedBefore);
    let total = 0;
    for (;;) {
      const done = await this.dataSource.transaction(async (manager) => {
        const ids = await this.registrations.identifiableOfEvents(manager, ended, BATCH);
        const count = await this.registrations.anonymise(manager, ids);
        if (count > 0) await this.audit.record(null, 'retention.anonymise', 'registrations', null, { count, endedBefore: endedBefore.toISOString() }, manager);
        return { found: ids.length, count };
      });
      total += done.count;
      if (done.found < BATCH) return total;
    }
  }
}
