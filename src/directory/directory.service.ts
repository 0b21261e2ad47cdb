import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors';
import { ClusterCode } from '../common/cluster-codes';
import { CreateMemberDto } from './dto/create-member.dto';
import { Cluster } from './entities/cluster.entity';
import { Company } from './entities/company.entity';
import { Locale, Member } from './entities/member.entity';
import { readMemberCsv, RejectedLine } from './member-csv-import';

export interface MemberInput {
  email: string;
  name: string;
  company: string;
  clusterCode: ClusterCode;
  locale: Locale;
}

/** Clusters, member companies and members: who the park's people are and where they belong. */
@Injectable()
export class DirectoryService {
  private clusterList: Promise<Cluster[]> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Cluster) private readonly clusters: Repository<Cluster>,
    @InjectRepository(Member) private readonly members: Repository<Member>,
  ) {}

  /** The four clusters are seeded by a migration and never change while the app runs, so they are read once. */
  listClusters(): Promise<Cluster[]> {
    this.clusterList ??= this.clusters.find({ order: { sortOrder: 'ASC' } }).catch((error) => {
      this.clusterList = undefined;
      throw error;
    });
    return this.clusterList;
  }

  async clusterNames(locale: Locale): Promise<Map<string, string>> {
    const clusters = await this.listClusters();
    return new Map(clusters.map((cluster) => [cluster.code, locale === 'ko' ? cluster.nameKo : cluster.nameEn]));
  }

  /** The address of a cluster office: the ORGANIZER of its events and the sender of their mail. */
  officeEmail(code: string): string {
    return this.config.clusterOfficeEmails[code as ClusterCode];
  }

  async createMember(dto: CreateMemberDto): Promise<Member> {
    return this.dataSource.transaction(async (manager) => {
      const existing = await this.findByEmail(dto.email, manager);
      if (existing) throw new ConflictError(`email ${dto.email} is already a member`, 'email');
      const company = await this.companyFor(manager, dto.company, dto.clusterCode, dto.email);
      const member = manager.create(Member, {
        email: dto.email,
        name: dto.name,
        companyId: company.id,
        clusterCode: dto.clusterCode,
        locale: dto.locale ?? 'ko',
      });
      await manager.save(member);
      member.company = company;
      return member;
    });
  }

  listMembers(cluster?: string): Promise<Member[]> {
    return this.members.find({
      where: cluster ? { clusterCode: cluster } : {},
      relations: { company: true },
      order: { createdAt: 'ASC', email: 'ASC' },
    });
  }

  async getMember(id: string): Promise<Member> {
    const member = await this.members.findOne({ where: { id }, relations: { company: true } });
    if (!member) throw new NotFoundError('member');
    return member;
  }

  findByEmail(email: string, manager: EntityManager = this.dataSource.manager): Promise<Member | null> {
    return manager
      .getRepository(Member)
      .createQueryBuilder('member')
      .leftJoinAndSelect('member.company', 'company')
      .where('lower(member.email) = lower(:email)', { email })
      .getOne();
  }

  /**
   * The cluster a registrant counts for: their member record's, else the cluster of the member
   * company whose email domain matches, else none (an outside guest).
   */
  async clusterForEmail(email: string, manager: EntityManager = this.dataSource.manager): Promise<{ member: Member | null; clusterCode: string | null; company: string | null }> {
    const member = await this.findByEmail(email, manager);
    if (member) return { member, clusterCode: member.clusterCode, company: member.company?.name ?? null };
    const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
    const company = await manager
      .getRepository(Company)
      .createQueryBuilder('company')
      // @> rather than = ANY: the GIN index on email_domains serves containment.
      .where('company.email_domains @> ARRAY[:domain]::text[]', { domain })
      .getOne();
    return { member: null, clusterCode: company?.clusterCode ?? null, company: company?.name ?? null };
  }

  /** The members an invitation goes to: those of the given clusters, plus any named by id. */
  async audience(clusterCodes: string[], memberIds: string[]): Promise<Member[]> {
    if (clusterCodes.length === 0 && memberIds.length === 0) return [];
    const query = this.members.createQueryBuilder('member').leftJoinAndSelect('member.company', 'company');
    query.where('false');
    if (clusterCodes.length > 0) query.orWhere('member.cluster_code IN (:...clusterCodes)', { clusterCodes });
    if (memberIds.length > 0) query.orWhere('member.id IN (:...memberIds)', { memberIds });
    return query.orderBy('member.created_at').getMany();
  }

  async missingMemberIds(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const found = await this.members.find({ select: { id: true }, where: { id: In(ids) } });
    const known = new Set(found.map((member) => member.id));
    return ids.filter((id) => !known.has(id));
  }

  /**
   * Imports a member CSV (see readMemberCsv) in one transaction: the file is imported whole, or,
   * when it turns out bad after some batches were written (a CSV error or bytes that are no text
   * near its end), not at all. Members are created or updated by email (case-insensitive); one
   * whose row already says the same is left alone, so importing a file twice changes nothing.
   * Rows are written a batch at a time as they are read, so the file is never held as rows whole.
   */
  async importMembers(text: Iterable<string>): Promise<{ created: number; updated: number; rejected: RejectedLine[] }> {
    return this.dataSource.transaction(async (manager) => {
      let created = 0;
      let updated = 0;
      const rejected = await readMemberCsv(text, async (batch) => {
        const written = await this.upsertMemberBatch(manager, batch);
        created += written.created;
        updated += written.updated;
      });
      return { created, updated, rejected };
    });
  }

  /**
   * Creates or updates one batch of members. Each column travels as one array parameter that
   * unnest() makes rows of, so a batch never meets PostgreSQL's limit of 65,535 bind parameters
   * (one `IN (...)` list of a 100,000-row file went past it: a 500).
   * Both statements find a row's member through the unique index on lower(email), as ON CONFLICT's
   * arbiter, one probe per row: a join with members was planned as a hash of the whole table, again
   * for every batch (9 s of a 100,000-row import). The first inserts the new members; the second
   * updates those whose row says something else (the members just inserted say the same).
   */
  private async upsertMemberBatch(manager: EntityManager, inputs: MemberInput[]): Promise<{ created: number; updated: number }> {
    await this.upsertCompanies(manager, inputs);
    // DISTINCT ON: emails are distinct as the reader lowers them; this keeps a statement valid where
    // PostgreSQL's lower() would still make two of them one (ON CONFLICT may not update a row twice).
    const input = `
      SELECT DISTINCT ON (lower(i.email)) i.email, i.name, company.id AS company_id, i.cluster_code, i.locale
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS i (email, name, company, cluster_code, locale, position)
        JOIN companies company ON lower(company.name) = lower(i.company)
       ORDER BY lower(i.email), i.position`;
    const rows = [
      inputs.map((input) => input.email),
      inputs.map((input) => input.name),
      inputs.map((input) => input.company),
      inputs.map((input) => input.clusterCode),
      inputs.map((input) => input.locale),
    ];
    const [{ created }] = await manager.query(
      `WITH added AS (
         INSERT INTO members (email, name, company_id, cluster_code, locale) ${input}
         ON CONFLICT ((lower(email))) DO NOTHING
         RETURNING 1
       )
       SELECT count(*)::int AS created FROM added`,
      rows,
    );
    if (created === inputs.length) return { created, updated: 0 };
    const [{ updated }] = await manager.query(
      `WITH changed AS (
         INSERT INTO members (email, name, company_id, cluster_code, locale) ${input}
         ON CONFLICT ((lower(email))) DO UPDATE
            SET name = EXCLUDED.name, company_id = EXCLUDED.company_id, cluster_code = EXCLUDED.cluster_code, locale = EXCLUDED.locale,
                updated_at = now()
          WHERE (members.name, members.company_id, members.cluster_code, members.locale)
                IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.company_id, EXCLUDED.cluster_code, EXCLUDED.locale)
         RETURNING 1
       )
       SELECT count(*)::int AS updated FROM changed`,
      rows,
    );
    return { created, updated };
  }

  /**
   * companyFor for a whole batch, in one statement: each company (by lower(name), as the unique
   * index has it) is made on its first mention in the batch, with that row's name and cluster; the
   * company email domains of its rows that it lacks are appended in file order. A company that
   * already has them all is not written at all.
   */
  private async upsertCompanies(manager: EntityManager, inputs: MemberInput[]): Promise<void> {
    await manager.query(
      `WITH mention AS (
         SELECT m.name, m.cluster_code, m.domain, m.position
           FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS m (name, cluster_code, domain, position)
       ), first_mention AS (
         SELECT DISTINCT ON (lower(name)) lower(name) AS key, name, cluster_code FROM mention ORDER BY lower(name), position
       ), domains AS (
         SELECT key, array_agg(domain ORDER BY position) AS domains
           FROM (SELECT lower(name) AS key, domain, min(position) AS position FROM mention WHERE domain IS NOT NULL GROUP BY 1, 2) AS first_use
          GROUP BY key
       )
       INSERT INTO companies (name, cluster_code, email_domains)
       SELECT first_mention.name, first_mention.cluster_code, coalesce(domains.domains, '{}') FROM first_mention LEFT JOIN domains USING (key)
       ON CONFLICT ((lower(name))) DO UPDATE
         SET email_domains = companies.email_domains || ARRAY(
               SELECT domain FROM unnest(EXCLUDED.email_domains) WITH ORDINALITY AS added (domain, position)
                WHERE NOT (domain = ANY (companies.email_domains)) ORDER BY position)
         WHERE NOT (EXCLUDED.email_domains <@ companies.email_domains)`,
      [inputs.map((input) => input.company), inputs.map((input) => input.clusterCode), inputs.map((input) => companyDomainOf(input.email))],
    );
  }

  /**
   * The company of that name (case-insensitive), made on first mention with the given cluster.
   * The member's email domain is added to the company's domains (unless it is a public mail
   * service), so a colleague who registers without being on the member list still counts for
   * the company's cluster.
   */
  private async companyFor(manager: EntityManager, name: string, clusterCode: string, memberEmail: string): Promise<Company> {
    const domain = companyDomainOf(memberEmail);
    await manager.query(
      `INSERT INTO companies (name, cluster_code, email_domains) VALUES ($1, $2, $3::text[])
       ON CONFLICT ((lower(name))) DO UPDATE
         SET email_domains = CASE WHEN $4::text IS NULL OR $4 = ANY (companies.email_domains) THEN companies.email_domains
                                  ELSE array_append(companies.email_domains, $4) END`,
      [name, clusterCode, domain ? [domain] : [], domain],
    );
    return manager
      .getRepository(Company)
      .createQueryBuilder('company')
      .where('lower(company.name) = lower(:name)', { name })
      .getOneOrFail();
  }
}

/** Mail services anyone can use: their domain says nothing about a person's company. */
const PUBLIC_MAIL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'naver.com', 'daum.net', 'hanmail.net', 'kakao.com', 'nate.com',
  'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'yahoo.com', 'yahoo.co.kr', 'icloud.com', 'me.com', 'proton.me', 'protonmail.com',
]);

export function companyDomainOf(email: string): string | null {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return domain && !PUBLIC_MAIL_DOMAINS.has(domain) ? domain : null;
}
