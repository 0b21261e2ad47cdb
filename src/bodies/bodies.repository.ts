import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { BodyKind, SeatDto } from './dto/body.dto';
import type { MinutesView } from './dto/body.view';
import type { MinutesFile, RosterMinutes } from '../registrations/meeting-roster.port';

/** A seat as the body_seats row holds it: ids of the company and members it refers to. */
export interface SeatRow {
  id: string;
  label: string;
  cluster: string | null;
  companyId: string | null;
  delegateId: string;
  substituteId: string | null;
}

/** A body as its own tables hold it; BodyRecords adds what the directory and events say of the ids. */
export interface BodyRow {
  id: string;
  name: string;
  kind: string;
  sigId: string | null;
  createdAt: Date;
  seats: SeatRow[];
  meetings: { eventId: string; hasMinutes: boolean }[];
}

/** The SQL of bodies, seats, meetings, declines and minutes: the tables this module owns. */
@Injectable()
export class BodiesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insertBody(manager: EntityManager, name: string, kind: BodyKind, sigId: string | null): Promise<string> {
    const [{ id }] = await manager.query<{ id: string }[]>(`INSERT INTO bodies (name, kind, sig_id) VALUES ($1, $2, $3) RETURNING id`, [name, kind, sigId]);
    return id;
  }

  async nameTaken(manager: EntityManager, name: string): Promise<boolean> {
    return (await manager.query<unknown[]>(`SELECT 1 FROM bodies WHERE lower(name) = lower($1)`, [name])).length > 0;
  }

  /** Takes the body's row lock, so seat changes and meetings of one body happen one after the other. */
  async lock(manager: EntityManager, id: string): Promise<boolean> {
    return (await manager.query<unknown[]>(`SELECT 1 FROM bodies WHERE id = $1 FOR UPDATE`, [id])).length > 0;
  }

  /** What the seat stands for (a cluster, or a company whose cluster the directory knows); undefined when the body has no such seat. */
  async seatFor(manager: EntityManager, bodyId: string, seatId: string): Promise<{ cluster: string | null; companyId: string | null } | undefined> {
    const rows = await manager.query<{ cluster: string | null; companyId: string | null }[]>(
      `SELECT cluster_code AS cluster, company_id AS "companyId" FROM body_seats WHERE id = $1 AND body_id = $2`,
      [seatId, bodyId],
    );
    return rows[0];
  }

  async labelTaken(manager: EntityManager, bodyId: string, label: string, exceptSeatId: string | null): Promise<boolean> {
    const rows = await manager.query<unknown[]>(`SELECT 1 FROM body_seats WHERE body_id = $1 AND lower(label) = lower($2) AND id IS DISTINCT FROM $3`, [
      bodyId,
      label,
      exceptSeatId,
    ]);
    return rows.length > 0;
  }

  async insertSeat(manager: EntityManager, bodyId: string, seat: SeatDto): Promise<void> {
    await manager.query(`INSERT INTO body_seats (body_id, label, cluster_code, company_id, delegate_id, substitute_id) VALUES ($1, $2, $3, $4, $5, $6)`, [
      bodyId,
      seat.label,
      seat.cluster ?? null,
      seat.companyId ?? null,
      seat.delegateId,
      seat.substituteId ?? null,
    ]);
  }

  async updateSeat(manager: EntityManager, seatId: string, seat: SeatDto): Promise<void> {
    await manager.query(
      `UPDATE body_seats SET label = $2, cluster_code = $3, company_id = $4, delegate_id = $5, substitute_id = $6, updated_at = now() WHERE id = $1`,
      [seatId, seat.label, seat.cluster ?? null, seat.companyId ?? null, seat.delegateId, seat.substituteId ?? null],
    );
  }

  /** Links the event to the body; linking it again changes nothing. */
  async addMeeting(manager: EntityManager, bodyId: string, eventId: string): Promise<void> {
    await manager.query(`INSERT INTO body_meetings (body_id, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [bodyId, eventId]);
  }

  async isMeeting(manager: EntityManager, bodyId: string, eventId: string): Promise<boolean> {
    return (await manager.query<unknown[]>(`SELECT 1 FROM body_meetings WHERE body_id = $1 AND event_id = $2`, [bodyId, eventId])).length > 0;
  }

  async delegates(manager: EntityManager, bodyId: string): Promise<string[]> {
    const rows = await manager.query<{ delegate_id: string }[]>(`SELECT DISTINCT delegate_id FROM body_seats WHERE body_id = $1`, [bodyId]);
    return rows.map((row) => row.delegate_id);
  }

  async saveMinutes(
    manager: EntityManager,
    bodyId: string,
    eventId: string,
    text: string,
    file: { name: string; type: string; content: Buffer } | null,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO meeting_minutes (body_id, event_id, text, file_name, file_type, file) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (body_id, event_id) DO UPDATE
         SET text = excluded.text, file_name = excluded.file_name, file_type = excluded.file_type, file = excluded.file, updated_at = now()`,
      [bodyId, eventId, text, file?.name ?? null, file?.type ?? null, file?.content ?? null],
    );
  }

  async minutes(bodyId: string, eventId: string, manager: EntityManager = this.dataSource.manager): Promise<MinutesView | null> {
    const rows = await manager.query<MinutesView[]>(
      `SELECT body_id AS "bodyId", event_id AS "eventId", text, file_name AS "fileName", file_type AS "fileType",
              octet_length(file) AS "fileSize", updated_at AS "updatedAt"
         FROM meeting_minutes WHERE body_id = $1 AND event_id = $2`,
      [bodyId, eventId],
    );
    return rows[0] ?? null;
  }

  async minutesFileOf(bodyId: string, eventId: string): Promise<MinutesFile | null> {
    const rows = await this.dataSource.query<MinutesFile[]>(
      `SELECT file_name AS name, file_type AS type, file AS content FROM meeting_minutes WHERE body_id = $1 AND event_id = $2 AND file IS NOT NULL`,
      [bodyId, eventId],
    );
    return rows[0] ?? null;
  }

  /** Bodies with their seats and meetings as ids, in the order they were set up; `ids` null for all. */
  async read(ids: string[] | null, manager: EntityManager = this.dataSource.manager): Promise<BodyRow[]> {
    return manager.query<BodyRow[]>(
      `SELECT b.id, b.name, b.kind, b.sig_id AS "sigId", b.created_at AS "createdAt",
              coalesce((SELECT json_agg(json_build_object(
                        'id', s.id, 'label', s.label, 'cluster', s.cluster_code, 'companyId', s.company_id,
                        'delegateId', s.delegate_id, 'substituteId', s.substitute_id)
                        ORDER BY s.created_at, s.label)
                          FROM body_seats s WHERE s.body_id = b.id), '[]') AS seats,
              coalesce((SELECT json_agg(json_build_object('eventId', bm.event_id,
                                                          'hasMinutes', EXISTS (SELECT 1 FROM meeting_minutes mm WHERE mm.body_id = b.id AND mm.event_id = bm.event_id)))
                          FROM body_meetings bm WHERE bm.body_id = b.id), '[]') AS meetings
         FROM bodies b
        WHERE $1::uuid[] IS NULL OR b.id = ANY ($1::uuid[])
        ORDER BY b.created_at, b.name`,
      [ids],
    );
  }

  // The meeting roster, for the emailed-link pages (MeetingRosterPort).

  async delegateSeats(manager: EntityManager, eventId: string, memberId: string): Promise<{ open: number; declined: number }> {
    const [row] = await manager.query<{ open: number; declined: number }[]>(
      `SELECT count(*) FILTER (WHERE d.seat_id IS NULL)::int AS open, count(d.seat_id)::int AS declined
         FROM body_meetings bm
         JOIN body_seats s ON s.body_id = bm.body_id AND s.delegate_id = $2
         LEFT JOIN body_meeting_declines d ON d.event_id = bm.event_id AND d.seat_id = s.id
        WHERE bm.event_id = $1`,
      [eventId, memberId],
    );
    return row;
  }

  /** Records the declines not recorded yet (the primary key makes a second one a no-op) and answers the substitutes of those. */
  async decline(manager: EntityManager, eventId: string, memberId: string, at: Date): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      `WITH declined AS (
         INSERT INTO body_meeting_declines (event_id, seat_id, member_id, declined_at)
         SELECT bm.event_id, s.id, $2, $3 FROM body_meetings bm JOIN body_seats s ON s.body_id = bm.body_id AND s.delegate_id = $2
          WHERE bm.event_id = $1
         ON CONFLICT DO NOTHING
         RETURNING seat_id
       )
       SELECT DISTINCT s.substitute_id AS id FROM declined JOIN body_seats s ON s.id = declined.seat_id WHERE s.substitute_id IS NOT NULL`,
      [eventId, memberId, at],
    );
    return rows.map((row) => row.id);
  }

  rosterMinutes(eventId: string, memberId: string): Promise<RosterMinutes[]> {
    return this.dataSource.query<RosterMinutes[]>(
      `SELECT b.id AS "bodyId", b.name AS "bodyName", mm.text, mm.file_name AS "fileName"
         FROM meeting_minutes mm JOIN bodies b ON b.id = mm.body_id
        WHERE mm.event_id = $1
          AND EXISTS (SELECT 1 FROM body_seats s WHERE s.body_id = mm.body_id AND (s.delegate_id = $2 OR s.substitute_id = $2))
        ORDER BY b.name`,
      [eventId, memberId],
    );
  }

  async onRoster(bodyId: string, memberId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(`SELECT 1 FROM body_seats WHERE body_id = $1 AND (delegate_id = $2 OR substitute_id = $2)`, [
      bodyId,
      memberId,
    ]);
    return rows.length > 0;
  }
}
