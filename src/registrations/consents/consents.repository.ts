import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConsentKind } from './consent-notice';

/** The consents table: one row per registration and notice; storing again keeps the latest choice. */
@Injectable()
export class ConsentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async store(manager: EntityManager, registrationId: string, version: string, at: Date, rows: { kind: ConsentKind; granted: boolean }[]): Promise<void> {
    if (!rows.length) return;
    await manager.query(
      `INSERT INTO consents (registration_id, kind, version, granted, at)
       SELECT $1, kind, $2, granted, $3 FROM unnest($4::text[], $5::boolean[]) AS c (kind, granted)
       ON CONFLICT (registration_id, kind) DO UPDATE SET version = excluded.version, granted = excluded.granted, at = excluded.at`,
      [registrationId, version, at, rows.map((r) => r.kind), rows.map((r) => r.granted)],
    );
  }

  /** Whether the registration has consent to collection and use (without it, it cannot be confirmed). */
  async hasCollection(manager: EntityManager, registrationId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM consents WHERE registration_id = $1 AND kind = 'collection' AND granted`, [registrationId]);
    return rows.length > 0;
  }

  /** The ids of the event's registrations that consented to providing their data to one of these clusters. */
  async consentingTo(eventId: string, clusters: readonly string[]): Promise<Set<string>> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT r.id FROM registrations r JOIN consents c ON c.registration_id = r.id
        WHERE r.event_id = $1 AND c.granted AND c.kind = ANY($2::text[])`,
      [eventId, clusters.map((code) => `third_party:${code}`)],
    );
    return new Set(rows.map((row) => row.id));
  }
}
