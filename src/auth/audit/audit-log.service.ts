import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { DataSource, EntityManager } from 'typeorm';
import { Principal, principalOf } from '../principal';

/** What organizers do that the federation wants on record (issue 9's list). */
export type AuditAction =
  | 'sign_in'
  | 'sign_out'
  | 'organizer.create'
  | 'token.create'
  | 'token.revoke'
  | 'event.create'
  | 'event.change'
  | 'event.publish'
  | 'event.cancel'
  | 'event.approve'
  | 'event.decline'
  | 'invitations.send'
  | 'members.import'
  | 'door.link_create'
  | 'door.link_revoke'
  | 'door.check_in'
  | 'registrations.export'
  | 'registration.cancel'
  | 'registration.promote'
  | 'deliveries.retry'
  | 'suppression.add'
  | 'suppression.remove'
  | 'member.erase'
  | 'retention.anonymise';

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
    return this.dataSource.query(
      `SELECT at, actor, action, target, ip FROM audit_log
        WHERE ($1::text IS NULL OR lower(actor) = lower($1))
          AND ($2::text IS NULL OR action = $2)
          AND ($3::timestamptz IS NULL OR at >= $3)
          AND ($4::timestamptz IS NULL OR at < $4)
        ORDER BY at DESC, id DESC
        LIMIT $5`,
      [query.actor ?? null, query.action ?? null, query.from ?? null, query.to ?? null, query.limit ?? 500],
    );
  }
}
