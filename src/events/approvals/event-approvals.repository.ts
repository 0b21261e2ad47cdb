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
}
