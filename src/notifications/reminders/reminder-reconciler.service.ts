import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ReminderJobs } from './reminder-jobs';

const RECONCILE_EVERY_MS = 5 * 60_000;

/**
 * Plans the reminder jobs of every published event still ahead again, at start and every few
 * minutes: a job lost with Redis, or one the api could not add because the queue was down when
 * the event changed, comes back. Adding a job that exists is a no-op (same job id).
 */
@Injectable()
export class ReminderReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReminderReconciler.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: ReminderJobs,
  ) {}

  onApplicationBootstrap(): void {
    const run = () => void this.reconcile().catch((error: Error) => this.logger.warn(`reminder planning failed, will retry: ${error.message}`));
    run();
    this.timer = setInterval(run, RECONCILE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async reconcile(): Promise<number> {
    const rows: { id: string; status: string; starts_at: Date; reminder_offsets_minutes: number[] }[] = await this.dataSource.query(
      `SELECT id, status, starts_at, reminder_offsets_minutes FROM events
        WHERE status = 'published' AND starts_at > now() AND cardinality(reminder_offsets_minutes) > 0`,
    );
    let planned = 0;
    for (const row of rows) {
      planned += await this.jobs.schedule({ id: row.id, status: row.status, startsAt: row.starts_at, reminderOffsetsMinutes: row.reminder_offsets_minutes });
    }
    return planned;
  }
}
