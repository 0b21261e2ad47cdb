import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError, DomainError, NotFoundError } from '../../common/errors/domain-errors';
import { actsFor, Principal } from '../../auth/principal';
import { Company } from '../entities/company.entity';
import { normalizeBusinessNumber } from './business-number';
import { CreateCompanyDto, UpdateCompanyDto } from './company.dto';

export interface CompanySummary {
  id: string;
  name: string;
  clusterCode: string;
  members: number;
  sigs: string[];
}

/**
 * Member companies as records organizers keep. A cluster organizer creates and changes only the
 * companies of their clusters (and cannot move one into a cluster that is not theirs).
 * Duplicates are checked in the transaction for a clear 409 naming the field; the unique indexes
 * (lower(name); business_number) stay the last word when two requests race.
 */
@Injectable()
export class CompaniesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(principal: Principal | null, cluster?: string): Promise<Company[]> {
    const query = this.dataSource.getRepository(Company).createQueryBuilder('company').orderBy('company.cluster_code').addOrderBy('company.name');
    if (cluster) query.andWhere('company.cluster_code = :cluster', { cluster });
    if (principal?.role !== 'admin') query.andWhere('company.cluster_code IN (:...mine)', { mine: principal?.clusters.length ? principal.clusters : [''] });
    return query.getMany();
  }

  /**
   * The companies an organizer may see (as list()) with how many members each has and the names of
   * its SIGs, by cluster then name: the console's companies view.
   */
  async withMembersAndSigs(principal: Principal | null, cluster?: string): Promise<CompanySummary[]> {
    const within = principal?.role === 'admin' ? null : (principal?.clusters ?? []);
    const rows = await this.dataSource.query<{ id: string; name: string; cluster_code: string; members: number; sigs: string[] }[]>(
      `SELECT c.id, c.name, c.cluster_code,
              (SELECT count(*)::int FROM members m WHERE m.company_id = c.id) AS members,
              coalesce((SELECT array_agg(s.name ORDER BY lower(s.name)) FROM sig_companies sc JOIN sigs s ON s.id = sc.sig_id WHERE sc.company_id = c.id), '{}') AS sigs
         FROM companies c
        WHERE ($1::text IS NULL OR c.cluster_code = $1) AND ($2::text[] IS NULL OR c.cluster_code = ANY ($2::text[]))
        ORDER BY c.cluster_code, lower(c.name)`,
      [cluster ?? null, within],
    );
    return rows.map((row) => ({ id: row.id, name: row.name, clusterCode: row.cluster_code, members: row.members, sigs: row.sigs }));
  }

  /** The companies of these clusters, whoever asks: a SIG spanning them takes any of them (SigsService.addCompanies). */
  inClusters(clusters: readonly string[]): Promise<Company[]> {
    return this.dataSource
      .getRepository(Company)
      .createQueryBuilder('company')
      .where('company.cluster_code IN (:...clusters)', { clusters: clusters.length > 0 ? clusters : [''] })
      .orderBy('company.cluster_code')
      .addOrderBy('company.name')
      .getMany();
  }

  async get(principal: Principal | null, id: string): Promise<Company> {
    const company = await this.dataSource.getRepository(Company).findOne({ where: { id } });
    if (!company) throw new NotFoundError('company');
    if (!actsFor(principal, [company.clusterCode]))
      throw new DomainError('forbidden', `the company belongs to ${company.clusterCode}, not one of your clusters`, 'id');
    return company;
  }

  async create(principal: Principal | null, dto: CreateCompanyDto): Promise<Company> {
    if (!actsFor(principal, [dto.clusterCode])) throw new DomainError('forbidden', `${dto.clusterCode} is not one of your clusters`, 'clusterCode');
    const businessNumber = dto.businessNumber ? normalizeBusinessNumber(dto.businessNumber) : null;
    return this.dataSource.transaction(async (manager) => {
      await this.refuseDuplicates(manager, null, dto.name, businessNumber);
      const [{ id }] = await manager.query<{ id: string }[]>(
        `INSERT INTO companies (name, cluster_code, business_number, keywords, email_domains) VALUES ($1, $2, $3, $4::text[], $5::text[]) RETURNING id`,
        [dto.name, dto.clusterCode, businessNumber, dto.keywords ?? [], dto.emailDomains ?? []],
      );
      return manager.getRepository(Company).findOneByOrFail({ id });
    });
  }

  async update(principal: Principal | null, id: string, dto: UpdateCompanyDto): Promise<Company> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<{ cluster_code: string }[]>(`SELECT cluster_code FROM companies WHERE id = $1 FOR UPDATE`, [id]);
      if (rows.length === 0) throw new NotFoundError('company');
      if (!actsFor(principal, [rows[0].cluster_code]))
        throw new DomainError('forbidden', `the company belongs to ${rows[0].cluster_code}, not one of your clusters`, 'id');
      if (dto.clusterCode !== undefined && !actsFor(principal, [dto.clusterCode])) {
        throw new DomainError('forbidden', `${dto.clusterCode} is not one of your clusters`, 'clusterCode');
      }
      const businessNumber = dto.businessNumber === undefined ? undefined : dto.businessNumber === null ? null : normalizeBusinessNumber(dto.businessNumber);
      await this.refuseDuplicates(manager, id, dto.name, businessNumber ?? null);
      await manager.query(
        `UPDATE companies
            SET name = coalesce($2, name),
                cluster_code = coalesce($3, cluster_code),
                business_number = CASE WHEN $4::boolean THEN $5 ELSE business_number END,
                keywords = coalesce($6::text[], keywords),
                email_domains = coalesce($7::text[], email_domains),
                updated_at = now()
          WHERE id = $1`,
        [id, dto.name ?? null, dto.clusterCode ?? null, businessNumber !== undefined, businessNumber ?? null, dto.keywords ?? null, dto.emailDomains ?? null],
      );
      return manager.getRepository(Company).findOneByOrFail({ id });
    });
  }

  private async refuseDuplicates(manager: EntityManager, id: string | null, name: string | undefined, businessNumber: string | null): Promise<void> {
    if (name !== undefined) {
      // Names are unique park-wide (the import finds companies by name), so within a cluster too.
      const same = await manager.query<{ cluster_code: string }[]>(
        `SELECT cluster_code FROM companies WHERE lower(name) = lower($1) AND id IS DISTINCT FROM $2`,
        [name, id],
      );
      if (same.length > 0) throw new ConflictError(`a company named ${name} already exists (${same[0].cluster_code})`, 'name');
    }
    if (businessNumber) {
      const same = await manager.query<unknown[]>(`SELECT 1 FROM companies WHERE business_number = $1 AND id IS DISTINCT FROM $2`, [businessNumber, id]);
      if (same.length > 0) throw new ConflictError('another company has this businessNumber', 'businessNumber');
    }
  }
}
