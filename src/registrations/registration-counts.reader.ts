import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { REGISTRATION_STATUSES, RegistrationStatus } from './entities/registration.entity';

/**
 * Registrations counted, never listed: the figures of the metrics scrape and of an event's
 * overview in the console. Read-only, outside any transaction.
 */
@Injectable()
export class RegistrationCountsReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** How many registrations there are in each status, all events (for the metrics); every status present, 0 if none. */
  async countsByStatus(): Promise<Record<RegistrationStatus, number>> {
    const rows: { status: RegistrationStatus; n: number }[] = await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM registrations GROUP BY status`,
    );
    const counts = Object.fromEntries(REGISTRATION_STATUSES.map((status) => [status, 0])) as Record<RegistrationStatus, number>;
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  /**
   * An event's registrations for its overview, as counts only: by status, new registrations per day
   * (days in the event's zone, cancelled ones included: they were registrations that day), and the
   * cluster mix of those holding or waiting for a seat (null: a guest of no cluster).
   */
  async eventStats(
    eventId: string,
    timezone: string,
  ): Promise<{
    byStatus: Record<RegistrationStatus, number>;
    perDay: { day: string; count: number }[];
    clusters: { cluster: string | null; count: number }[];
  }> {
    const [statusRows, dayRows, clusterRows] = await Promise.all([
      this.dataSource.query<{ status: RegistrationStatus; n: number }[]>(
        `SELECT status, count(*)::int AS n FROM registrations WHERE event_id = $1 GROUP BY status`,
        [eventId],
      ),
      this.dataSource.query<{ day: string; n: number }[]>(
        `SELECT to_char(created_at AT TIME ZONE $2, 'YYYY-MM-DD') AS day, count(*)::int AS n FROM registrations WHERE event_id = $1 GROUP BY 1 ORDER BY 1`,
        [eventId, timezone],
      ),
      this.dataSource.query<{ cluster: string | null; n: number }[]>(
        `SELECT cluster_code AS cluster, count(*)::int AS n FROM registrations WHERE event_id = $1 AND status IN ('confirmed', 'waitlisted')
          GROUP BY cluster_code ORDER BY array_position(ARRAY['ICT','IMT','DC','GREEN_IT']::varchar[], cluster_code) NULLS LAST`,
        [eventId],
      ),
    ]);
    const byStatus = Object.fromEntries(REGISTRATION_STATUSES.map((status) => [status, 0])) as Record<RegistrationStatus, number>;
    for (const row of statusRows) byStatus[row.status] = row.n;
    return {
      byStatus,
      perDay: dayRows.map((row) => ({ day: row.day, count: row.n })),
      clusters: clusterRows.map((row) => ({ cluster: row.cluster, count: row.n })),
    };
  }
}
