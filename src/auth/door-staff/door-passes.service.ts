import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { ConflictError, NotFoundError } from '../../common/errors/domain-errors';
import { digest } from '../digest';
import type { Principal } from '../principal';
import type { DoorStaff } from './door-staff';

export interface DoorPass {
  id: string;
  eventId: string;
  label: string;
  email: string | null;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export type DoorSignIn =
  { ok: true; sessionToken: string; eventId: string; label: string; expiresAt: Date } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

/**
 * Door passes: links an organizer makes for the staff at one event's door. The raw token is only
 * in the link (shown once, or mailed), its SHA-256 stored. Unlike a sign-in link a pass may be
 * opened on several phones (a door has more than one person), so it is not single-use: it ends
 * at the event's end or when revoked, and with it every door session opened from it.
 */
@Injectable()
export class DoorPasses {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async create(event: { id: string; endsAt: Date }, label: string, email: string | null, by: Principal): Promise<{ pass: DoorPass; token: string }> {
    if (event.endsAt.getTime() <= this.clock.nowMs()) throw new ConflictError('the event has ended: a door link would expire at once', 'event');
    const token = randomBytes(32).toString('base64url');
    const [row] = await this.dataSource.query<PassRow[]>(
      `INSERT INTO door_passes (event_id, label, email, token_hash, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${PASS_COLUMNS}`,
      [event.id, label, email, digest(token).toString('hex'), by.organizerId, event.endsAt],
    );
    return { pass: passOf(row), token };
  }

  async ofEvent(eventId: string): Promise<DoorPass[]> {
    const rows = await this.dataSource.query<PassRow[]>(`SELECT ${PASS_COLUMNS} FROM door_passes WHERE event_id = $1 ORDER BY created_at DESC, id`, [eventId]);
    return rows.map(passOf);
  }

  /** Revokes a pass of the event: its link and every door session opened from it are refused from the next request. */
  async revoke(eventId: string, passId: string): Promise<DoorPass> {
    const [rows] = await this.dataSource.query<[PassRow[], number]>(
      `UPDATE door_passes SET revoked_at = coalesce(revoked_at, $3) WHERE id = $1 AND event_id = $2 RETURNING ${PASS_COLUMNS}`,
      [passId, eventId, this.clock.now()],
    );
    if (!rows[0]) throw new NotFoundError('door link');
    return passOf(rows[0]);
  }

  /** What a pass link would do, without doing it (the GET of the link). */
  async preview(token: string): Promise<{ ok: true; eventId: string; label: string } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' }> {
    const pass = await this.byToken(token);
    if (!pass) return { ok: false, reason: 'unknown' };
    if (pass.revokedAt) return { ok: false, reason: 'revoked' };
    if (pass.expiresAt.getTime() <= this.clock.nowMs()) return { ok: false, reason: 'expired' };
    return { ok: true, eventId: pass.eventId, label: pass.label };
  }

  /** Opens a door session from a pass link: the raw session token goes only into the cookie. */
  async signIn(token: string): Promise<DoorSignIn> {
    const state = await this.preview(token);
    if (!state.ok) return state;
    const pass = (await this.byToken(token))!;
    const sessionToken = randomBytes(32).toString('base64url');
    await this.dataSource.query(`INSERT INTO door_sessions (pass_id, token_hash) VALUES ($1, $2)`, [pass.id, digest(sessionToken).toString('hex')]);
    return { ok: true, sessionToken, eventId: pass.eventId, label: pass.label, expiresAt: pass.expiresAt };
  }

  /** The door staff a session cookie speaks for, while its pass is neither revoked nor expired. */
  async bySession(sessionToken: string): Promise<DoorStaff | null> {
    const [row] = await this.dataSource.query<{ session_id: string; pass_id: string; event_id: string; label: string }[]>(
      `SELECT s.id AS session_id, p.id AS pass_id, p.event_id, p.label
         FROM door_sessions s JOIN door_passes p ON p.id = s.pass_id
        WHERE s.token_hash = $1 AND p.revoked_at IS NULL AND p.expires_at > $2`,
      [digest(sessionToken).toString('hex'), this.clock.now()],
    );
    return row ? { sessionId: row.session_id, passId: row.pass_id, eventId: row.event_id, label: row.label } : null;
  }

  private async byToken(token: string): Promise<DoorPass | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const [row] = await this.dataSource.query<PassRow[]>(`SELECT ${PASS_COLUMNS} FROM door_passes WHERE token_hash = $1`, [digest(token).toString('hex')]);
    return row ? passOf(row) : null;
  }
}

interface PassRow {
  id: string;
  event_id: string;
  label: string;
  email: string | null;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

const PASS_COLUMNS = 'id, event_id, label, email, created_at, expires_at, revoked_at';

function passOf(row: PassRow): DoorPass {
  return {
    id: row.id,
    eventId: row.event_id,
    label: row.label,
    email: row.email,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}
