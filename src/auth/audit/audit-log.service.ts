import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { DataSource, EntityManager } from 'typeorm';
import { Principal, principalOf } from '../principal';
import { InvalidInputError } from '../../common/errors/domain-errors';

/** What organizers do that the federation wants on record (issue 9's list), in the order the audit page offers them. */
export const AUDIT_ACTIONS = [
  'sign_in',
  'sign_out',
  'organizer.create',
  'token.create',
  'token.revoke',
  'event.create',
  'event.change',
  'event.publish',
  'event.cancel',
  'event.approve',
  'event.decline',
  'invitations.send',
  'members.import',
  'door.link_create',
  'door.link_revoke',
  'door.check_in',
  'registrations.export',
  'registration.cancel',
  'registration.promote',
  'deliveries.retry',
  'suppression.add',
  'suppression.remove',
  'member.erase',
  'retention.anonymise',
  'sig.create',
  'sig.companies',
  'body.create',
  'body.seat',
  'body.minutes',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  ip: string | null;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** The cursor of the page before (from its Link header). */
  after?: string;
  limit?: number;
}

/** The audit log: who did what, when, to what, from which address. Written beside the action, read by admins. */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger(AuditLog.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Records one action. With `manager`, inside the action's own transaction (the record exists if
   * and only if the action was committed); without, after it.
   */
  async record(
    who: Principal | { actor: string; organizerId: string | null } | null,
    action: AuditAction,
    target: string | null,
    ip: string | null,
    details?: Record<string, unknown>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(`INSERT INTO audit_log (actor, actor_id, action, target, ip, details) VALUES ($1, $2, $3, $4, $5, $6)`, [
      who?.actor ?? 'system',
      who?.organizerId ?? null,
      action,
      target?.slice(0, 400) ?? null,
      ip?.slice(0, 64) ?? null,
      details ? JSON.stringify(details) : null,
    ]);
  }

  /** Records an action of the request's principal; a failure to write is logged, never undoes the action. */
  async recordFor(request: Request, action: AuditAction, target: string | null, details?: Record<string, unknown>): Promise<void> {
    await this.record(principalOf(request), action, target, request.ip ?? null, details).catch((error: Error) =>
      this.logger.error(`audit log not written for ${action} ${target}: ${error.message}`),
    );
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    return (await this.page(query)).entries;
  }

  /**
   * One page, newest first, and the cursor of the next one when there may be more. Keyset, not
   * OFFSET: the page after a cursor is found through the (at, id) order whatever the log's size,
   * and entries written meanwhile do not shift it. The cursor carries `at` as PostgreSQL's text
   * (microseconds; a JavaScript Date would round them away and skip or repeat entries).
   */
  async page(query: AuditQuery): Promise<{ entries: AuditEntry[]; next: string | undefined }> {
    const limit = query.limit ?? 500;
    const after = query.after === undefined ? undefined : decodeCursor(query.after);
    const rows: (AuditEntry & { cursorAt: string; cursorId: string })[] = await this.dataSource.query(
      `SELECT at, actor, action, target, ip, at::text AS "cursorAt", id::text AS "cursorId" FROM audit_log
        WHERE ($1::text IS NULL OR lower(actor) = lower($1))
          AND ($2::text IS NULL OR action = $2)
          AND ($3::timestamptz IS NULL OR at >= $3)
          AND ($4::timestamptz IS NULL OR at < $4)
          AND ($6::timestamptz IS NULL OR (at, id) < ($6::timestamptz, $7::bigint))
        ORDER BY at DESC, id DESC
        LIMIT $5`,
      [query.actor ?? null, query.action ?? null, query.from ?? null, query.to ?? null, limit + 1, after?.at ?? null, after?.id ?? null],
    );
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return {
      entries: rows.slice(0, limit).map(({ at, actor, action, target, ip }) => ({ at, actor, action, target, ip })),
      next: last ? Buffer.from(JSON.stringify([last.cursorAt, last.cursorId])).toString('base64url') : undefined,
    };
  }
}

/** timestamptz as PostgreSQL writes it as text: `2027-03-01 10:02:03.123456+09`. */
const POSTGRES_TIMESTAMPTZ = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2) {
      const [at, id] = decoded as unknown[];
      if (typeof at === 'string' && POSTGRES_TIMESTAMPTZ.test(at) && typeof id === 'string' && /^\d{1,18}$/.test(id)) return { at, id };
    }
  } catch {
    // Not base64url JSON: answered below like any other malformed cursor.
  }
  throw new InvalidInputError('after', 'must be the cursor of a previous page (the Link header, rel="next")');
}
