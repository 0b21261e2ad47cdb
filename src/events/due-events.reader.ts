import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SeminarEvent } from './entities/event.entity';

/**
 * The events the periodic jobs act on: quota release, reminder planning and the two retentions
 * (delivery records, registrants' personal data). Each answers ids or the few fields the job needs.
 */
@Injectable()
export class DueEventsReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Published events whose reserved seats are due to return to the open pool. */
  async dueQuotaReleases(): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT e.id FROM events e
        WHERE e.status = 'published' AND NOT e.quota_released AND e.capacity IS NOT NULL
          AND EXISTS (SELECT 1 FROM event_quotas q WHERE q.event_id = e.id)
          AND coalesce(e.quota_release_at, e.starts_at - interval '48 hours') <= now()`,
    );
    return rows.map((row) => row.id);
  }

  /** The ids of the events (any status) that ended before `instant`: retention keeps their records that long. */
  async endedBefore(instant: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM events WHERE ends_at < $1`, [instant]);
    return rows.map((row) => row.id);
  }

  /** Published events still ahead that have reminders: what reminder planning walks. */
  async upcomingWithReminders(): Promise<Pick<SeminarEvent, 'id' | 'status' | 'startsAt' | 'reminderOffsetsMinutes'>[]> {
    const rows: { id: string; status: SeminarEvent['status']; starts_at: Date; reminder_offsets_minutes: number[] }[] = await this.dataSource.query(
      `SELECT id, status, starts_at, reminder_offsets_minutes FROM events
        WHERE status = 'published' AND starts_at > now() AND cardinality(reminder_offsets_minutes) > 0`,
    );
    return rows.map((row) => ({ id: row.id, status: row.status, startsAt: row.starts_at, reminderOffsetsMinutes: row.reminder_offsets_minutes }));
  }
}
