import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Approval, ApprovalStatus } from './approval-rules';

/** The event_approvals table: all its SQL. */
@Injectable()
export class EventApprovalsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async request(manager: EntityManager, eventId: string, clusters: string[], requestedBy: string): Promise<void> {
    if (clusters.length === 0) return;
    await manager.query(`INSERT INTO event_approvals (event_id, cluster_code, requested_by) SELECT $1, unnest($2::varchar[]), $3 ON CONFLICT DO NOTHING`, [
      eventId,
      clusters,
      requestedBy,
    ]);
  }

  /** Drops the approvals of clusters that no longer host the event (a draft's hosts changed). */
  async keepOnly(manager: EntityManager, eventId: string, hosts: string[]): Promise<void> {
    await manager.query(`DELETE FROM event_approvals WHERE event_id = $1 AND NOT (cluster_code = ANY($2::varchar[]))`, [eventId, hosts]);
  }

  list(eventId: string, manager: EntityManager = this.dataSource.manager): Promise<Approval[]> {
    return manager.query<Approval[]>(
      `SELECT cluster_code AS cluster, status, reason FROM event_approvals WHERE event_id = $1
        ORDER BY array_position(ARRAY['ICT','IMT','DC','GREEN_IT']::varchar[], cluster_code)`,
      [eventId],
    );
  }

  /** Records a co-host's decision; false when that cluster's approval was never asked for this event. */
  async decide(manager: EntityManager, eventId: string, cluster: string, status: ApprovalStatus, reason: string | null, decidedBy: string): Promise<boolean> {
    const [, affected] = await manager.query<[unknown, number]>(
      `UPDATE event_approvals SET status = $3, reason = $4, decided_by = $5, decided_at = now() WHERE event_id = $1 AND cluster_code = $2`,
      [eventId, cluster, status, reason, decidedBy],
    );
    return affected > 0;
  }

  /**
   * The approvals still pending for these clusters (null: any cluster, an admin's view), with what
   * the 승인 요청 page shows of their events: soonest event first. Drafts only: a decision is taken
   * before publishing.
   */
  waitingOn(clusters: readonly string[] | null): Promise<PendingApproval[]> {
    return this.dataSource.query<PendingApproval[]>(
      `SELECT a.event_id AS "eventId", a.cluster_code AS cluster, a.requested_by AS "requestedBy"
         FROM event_approvals a JOIN events e ON e.id = a.event_id
        WHERE a.status = 'pending' AND e.status = 'draft' AND ($1::varchar[] IS NULL OR a.cluster_code = ANY($1::varchar[]))
        ORDER BY e.starts_at, e.id, array_position(ARRAY['ICT','IMT','DC','GREEN_IT']::varchar[], a.cluster_code)`,
      [clusters],
    );
  }

  /** How many approvals wait on these clusters (null: any): the count beside 승인 요청 in the console's menu. */
  async countWaitingOn(clusters: readonly string[] | null): Promise<number> {
    const rows = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM event_approvals a JOIN events e ON e.id = a.event_id
        WHERE a.status = 'pending' AND e.status = 'draft' AND ($1::varchar[] IS NULL OR a.cluster_code = ANY($1::varchar[]))`,
      [clusters],
    );
    return rows[0]?.n ?? 0;
  }

  /** Who asked for the approvals of an event (the proposer), for the mail that tells them of an answer. */
  async requestedBy(eventId: string, cluster: string, manager: EntityManager = this.dataSource.manager): Promise<string | null> {
    const rows = await manager.query<{ requested_by: string }[]>(`SELECT requested_by FROM event_approvals WHERE event_id = $1 AND cluster_code = $2`, [
      eventId,
      cluster,
    ]);
    return rows[0]?.requested_by ?? null;
  }
}

export interface PendingApproval {
  eventId: string;
  cluster: string;
  requestedBy: string;
}
