import { Processor, WorkerHost } from '@nestjs/bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job, UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { REMIND_JOB, RemindJob, REMINDER_QUEUE } from '../../queue/queue.constants';
import { registrantsOf } from '../../registrations/event-change-notices.service';
import { OutboxService } from '../outbox/outbox.service';

/**
 * Runs a due reminder job: re-reads the event and writes one `reminder` outbox row per confirmed
 * registrant, unless the reminder no longer applies — the event was cancelled, moved (its start
 * is no longer the one in the job; the new start has its own job), the offset was removed, a
 * later reminder is already due, or the event has started. The dedupe key
 * `reminder:<registration>:<offset>:<start>` keeps anyone from getting one reminder twice.
 */
@Processor(REMINDER_QUEUE)
export class ReminderProcessor extends WorkerHost {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
  ) {
    super();
  }

  async process(job: Job<RemindJob>): Promise<string> {
    if (job.name !== REMIND_JOB) throw new UnrecoverableError(`no handler for job ${job.name} on ${REMINDER_QUEUE}`);
    const { eventId, offsetMinutes, startsAtEpoch } = job.data;
    const result = await this.dataSource.transaction(async (manager) => {
      // FOR SHARE waits for a change of the event in flight (it holds FOR UPDATE) and reads what it committed.
      const rows: { status: string; starts_at: Date; reminder_offsets_minutes: number[] }[] = await manager.query(
        `SELECT status, starts_at, reminder_offsets_minutes FROM events WHERE id = $1 FOR SHARE`,
        [eventId],
      );
      const event = rows[0];
      if (!event) return 'skipped: event gone';
      if (event.status !== 'published') return `skipped: event ${event.status}`;
      const startsAt = new Date(event.starts_at).getTime();
      if (startsAt !== startsAtEpoch) return 'skipped: event moved';
      const offsets = event.reminder_offsets_minutes ?? [];
      if (!offsets.includes(offsetMinutes)) return 'skipped: reminder removed';
      const now = Date.now();
      if (now >= startsAt) return 'skipped: event started';
      // A job that ran late (workers down) gives way to a closer reminder already due: one mail, not two.
      if (offsets.some((other) => other < offsetMinutes && now >= startsAt - other * 60_000)) return 'skipped: a later reminder is due';

      const registrants = await registrantsOf(manager, eventId, ['confirmed']);
      const queued = await this.outbox.queue(
        manager,
        registrants.map((registrant) => ({
          kind: 'reminder' as const,
          dedupeKey: `reminder:${registrant.id}:${offsetMinutes}:${startsAtEpoch}`,
          eventId,
          registrationId: registrant.id,
          memberId: registrant.memberId,
          recipient: registrant.email,
          recipientName: registrant.name,
          locale: registrant.locale,
          payload: { offsetMinutes, startsAt: new Date(startsAtEpoch).toISOString() },
        })),
      );
      return `queued ${queued} reminders`;
    });
    return result;
  }
}
