import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * Read-only questions other modules ask about registrations (the calendar module's personal
 * feeds, the mail worker's last check before a reminder). Kept apart from RegistrationsService, which writes registrations and depends on
 * the calendar module: this reader depends on nothing but the database, so the calendar module can
 * use it without an import cycle, and the SQL on the registrations table stays in this module.
 */
@Injectable()
export class MemberRegistrationsReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The events a member holds a confirmed seat for. A registration counts by its member id or, for
   * one made on the public page before the person was on the member list, by the same email
   * (emails compare case-insensitively, as everywhere).
   */
  async confirmedEventIds(member: { id: string; email: string }): Promise<string[]> {
    const rows: { event_id: string }[] = await this.dataSource.query(
      `SELECT event_id FROM registrations WHERE status = 'confirmed' AND member_id = $1
       UNION
       SELECT event_id FROM registrations WHERE status = 'confirmed' AND lower(email) = lower($2)`,
      [member.id, member.email],
    );
    return rows.map((row) => row.event_id);
  }

  /** The registration's status now, or null when it is gone. */
  async statusOf(registrationId: string): Promise<string | null> {
    const rows: { status: string }[] = await this.dataSource.query(`SELECT status FROM registrations WHERE id = $1`, [registrationId]);
    return rows[0]?.status ?? null;
  }
}
