import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { actsFor, Principal } from '../../auth/principal';
import { ConflictError, DomainError, InvalidInputError, NotFoundError } from '../../common/errors/domain-errors';
import { AddSigCompaniesDto, CreateSigDto } from './sig.dto';
import { SigView } from './sig.view';

interface SigRow {
  id: string;
  name: string;
  description: string | null;
  keywords: string[];
  clusters: string[];
  created_at: Date;
  companies: { id: string; name: string; clusterCode: string }[];
  member_count: number;
}

/**
 * SIGs (special interest groups): companies of one or more clusters around a subject. A cluster
 * organizer acts for a SIG that spans one of their clusters; a company joins only a SIG that spans
 * its cluster, so `clusters` stays what the SIG really is.
 */
@Injectable()
export class SigsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(principal: Principal | null, dto: CreateSigDto): Promise<SigView> {
    if (!actsFor(principal, dto.clusters)) throw new DomainError('forbidden', 'a SIG you create must span one of your clusters', 'clusters');
    return this.dataSource.transaction(async (manager) => {
      const taken = await manager.query<unknown[]>(`SELECT 1 FROM sigs WHERE lower(name) = lower($1)`, [dto.name]);
      if (taken.length > 0) throw new ConflictError(`a SIG named ${dto.name} already exists`, 'name');
      const [{ id }] = await manager.query<{ id: string }[]>(
        `INSERT INTO sigs (name, description, keywords, clusters) VALUES ($1, $2, $3::text[], $4::varchar[]) RETURNING id`,
        [dto.name, dto.description || null, dto.keywords ?? [], dto.clusters],
      );
      return (await this.read(manager, [id]))[0];
    });
  }

  async addCompanies(principal: Principal | null, id: string, dto: AddSigCompaniesDto): Promise<SigView> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<{ clusters: string[] }[]>(`SELECT clusters FROM sigs WHERE id = $1 FOR UPDATE`, [id]);
      if (rows.length === 0) throw new NotFoundError('SIG');
      const clusters = rows[0].clusters;
      if (!actsFor(principal, clusters)) throw new DomainError('forbidden', 'the SIG spans none of your clusters', 'id');
      const companies = await manager.query<{ id: string; cluster_code: string }[]>(`SELECT id, cluster_code FROM companies WHERE id = ANY ($1::uuid[])`, [
        dto.companyIds,
      ]);
      const found = new Map(companies.map((company) => [company.id, company.cluster_code]));
      const unknown = dto.companyIds.filter((companyId) => !found.has(companyId));
      if (unknown.length > 0) throw new InvalidInputError('companyIds', `contains unknown companies: ${unknown.slice(0, 5).join(', ')}`);
      const outside = dto.companyIds.filter((companyId) => !clusters.includes(found.get(companyId)!));
      if (outside.length > 0) {
        throw new InvalidInputError(
          'companyIds',
          `contains companies of clusters the SIG does not span (${clusters.join(', ')}): ${outside.slice(0, 5).join(', ')}`,
        );
      }
      await manager.query(`INSERT INTO sig_companies (sig_id, company_id) SELECT $1, company_id FROM unnest($2::uuid[]) AS company_id ON CONFLICT DO NOTHING`, [
        id,
        dto.companyIds,
      ]);
      return (await this.read(manager, [id]))[0];
    });
  }

  async list(principal: Principal | null): Promise<SigView[]> {
    const views = await this.read(this.dataSource.manager, null);
    return views.filter((sig) => actsFor(principal, sig.clusters));
  }

  async get(principal: Principal | null, id: string): Promise<SigView> {
    const [sig] = await this.read(this.dataSource.manager, [id]);
    if (!sig) throw new NotFoundError('SIG');
    if (!actsFor(principal, sig.clusters)) throw new DomainError('forbidden', 'the SIG spans none of your clusters', 'id');
    return sig;
  }

  /** SIGs (these ids, or all) with their companies and the number of members of those companies, in one query. */
  private async read(manager: EntityManager, ids: string[] | null): Promise<SigView[]> {
    const rows = await manager.query<SigRow[]>(
      `SELECT s.id, s.name, s.description, s.keywords, s.clusters, s.created_at,
              coalesce((SELECT json_agg(json_build_object('id', c.id, 'name', c.name, 'clusterCode', c.cluster_code) ORDER BY cl.sort_order, c.name)
                          FROM sig_companies sc JOIN companies c ON c.id = sc.company_id JOIN clusters cl ON cl.code = c.cluster_code WHERE sc.sig_id = s.id), '[]') AS companies,
              (SELECT count(*)::int FROM sig_companies sc JOIN members m ON m.company_id = sc.company_id WHERE sc.sig_id = s.id) AS member_count
         FROM sigs s
        WHERE $1::uuid[] IS NULL OR s.id = ANY ($1::uuid[])
        ORDER BY s.name`,
      [ids],
    );
    return rows.map((row) =>
      Object.assign(new SigView(), {
        id: row.id,
        name: row.name,
        description: row.description,
        keywords: row.keywords,
        clusters: row.clusters,
        convergence: row.clusters.length >= 2,
        companies: row.companies,
        memberCount: row.member_count,
        createdAt: row.created_at,
      }),
    );
  }
}
