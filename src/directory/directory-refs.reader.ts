import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** A member as another module that keeps a reference to them needs to show and check them. */
export interface MemberRef {
  id: string;
  name: string;
  email: string;
  clusterCode: string;
  companyId: string | null;
}

export interface CompanyRef {
  id: string;
  name: string;
  clusterCode: string;
}

/**
 * Look-ups by id for the modules above the directory that hold references to its rows (a body's
 * seats name members and companies, a steering group its SIG): they ask here rather than read the
 * directory's tables with their own SQL. On the caller's manager, so inside its transaction.
 */
@Injectable()
export class DirectoryRefsReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The clusters a SIG spans, or null when there is no such SIG. */
  async sigClusters(sigId: string, manager: EntityManager = this.dataSource.manager): Promise<string[] | null> {
    const rows = await manager.query<{ clusters: string[] }[]>(`SELECT clusters FROM sigs WHERE id = $1`, [sigId]);
    return rows[0]?.clusters ?? null;
  }

  /** The SIGs' clusters by SIG id; an id of no SIG is left out. */
  async clustersOfSigs(sigIds: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, string[]>> {
    if (sigIds.length === 0) return new Map();
    const rows = await manager.query<{ id: string; clusters: string[] }[]>(`SELECT id, clusters FROM sigs WHERE id = ANY ($1::uuid[])`, [sigIds]);
    return new Map(rows.map((row) => [row.id, row.clusters]));
  }

  /** Companies by id; an id of no company is left out. */
  async companies(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, CompanyRef>> {
    if (ids.length === 0) return new Map();
    const rows = await manager.query<CompanyRef[]>(`SELECT id, name, cluster_code AS "clusterCode" FROM companies WHERE id = ANY ($1::uuid[])`, [ids]);
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** Members by id; an id of no member is left out. */
  async members(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, MemberRef>> {
    if (ids.length === 0) return new Map();
    const rows = await manager.query<MemberRef[]>(
      `SELECT id, name, email, cluster_code AS "clusterCode", company_id AS "companyId" FROM members WHERE id = ANY ($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }
}
