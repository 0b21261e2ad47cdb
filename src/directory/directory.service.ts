import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/errors/domain-errors';
import { ClusterCode } from '../config/cluster-codes';
import { CreateMemberDto } from './dto/create-member.dto';
import { Cluster } from './entities/cluster.entity';
import { Company } from './entities/company.entity';
import { Member } from './entities/member.entity';
import { lookUpRegistrant, Registrant } from './registrant-cluster';
import { DEFAULT_LOCALE, Locale } from '../common/templates/locales';

export interface MemberFilter {
  cluster?: string;
  /** A cluster organizer's clusters: nothing outside them is found. */
  within?: readonly string[];
  q?: string;
  limit?: number;
  after?: string;
}

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
        locale: dto.locale ?? DEFAULT_LOCALE,
      });
      await manager.save(member);
      member.company = company;
      return member;
    });
  }

  /**
   * Members, of one cluster or all; `within` (a cluster organizer's clusters) narrows it in the
   * query. `q` matches part of the name, email or company name. With `limit`, one page in the
   * list's order (joined, then email), continuing after the member `after`, and whether more follow;
   * keyset rather than offset, so a page neither repeats nor skips members while others are added.
   */
  async searchMembers(filter: MemberFilter): Promise<{ members: Member[]; more: boolean }> {
    let allowed = filter.within ? [...filter.within] : undefined;
    if (filter.cluster) allowed = !allowed || allowed.includes(filter.cluster) ? [filter.cluster] : [];
    if (allowed?.length === 0) return { members: [], more: false };
    const query = this.members.createQueryBuilder('member').leftJoinAndSelect('member.company', 'company');
    if (allowed) query.andWhere('member.cluster_code IN (:...allowed)', { allowed });
    if (filter.q) {
      const pattern = `%${filter.q.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
      query.andWhere('(member.name ILIKE :pattern OR member.email ILIKE :pattern OR company.name ILIKE :pattern)', { pattern });
    }
    if (filter.after) {
      // A page after a member who is gone would be silently empty: say so instead.
      if (!(await this.members.exists({ where: { id: filter.after } })))
        throw new InvalidInputError('after', 'names no member: start again from the first page');
      query.andWhere(
        '(member.created_at, member.email) > (SELECT after_member.created_at, after_member.email FROM members after_member WHERE after_member.id = :after)',
        { after: filter.after },
      );
    }
    query.orderBy('member.created_at', 'ASC').addOrderBy('member.email', 'ASC');
    if (filter.limit === undefined) return { members: await query.getMany(), more: false };
    // limit, not take: each member has at most one company, so the join adds no rows to count.
    const members = await query.limit(filter.limit + 1).getMany();
    return { members: members.slice(0, filter.limit), more: members.length > filter.limit };
  }

  async getMember(id: string): Promise<Member> {
    const member = await this.members.findOne({ where: { id }, relations: { company: true } });
    if (!member) throw new NotFoundError('member');
    return member;
  }

  /** The member (with their company), or null when there is none. */
  findMember(id: string, manager: EntityManager = this.dataSource.manager): Promise<Member | null> {
    return manager.findOne(Member, { where: { id }, relations: { company: true } });
  }

  /** The language a member reads; Korean for a registrant who is not a member (null) or no longer one. */
  async localeOf(memberId: string | null, manager: EntityManager = this.dataSource.manager): Promise<Locale> {
    if (!memberId) return 'ko';
    return (await manager.findOne(Member, { select: { id: true, locale: true }, where: { id: memberId } }))?.locale ?? 'ko';
  }

  /** localeOf for many members at once: the members found, by id. */
  async localesOf(memberIds: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, Locale>> {
    if (memberIds.length === 0) return new Map();
    const members = await manager.find(Member, { select: { id: true, locale: true }, where: { id: In([...new Set(memberIds)]) } });
    return new Map(members.map((member) => [member.id, member.locale]));
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
  clusterForEmail(email: string, manager: EntityManager = this.dataSource.manager): Promise<Registrant> {
    return lookUpRegistrant(manager, email);
  }

  /**
   * The members an invitation goes to: those of the given clusters, those of the companies of the
   * given SIGs, plus any named by id; each member once, however the three overlap.
   */
  async audience(clusterCodes: string[], memberIds: string[], sigIds: string[] = []): Promise<Member[]> {
    if (clusterCodes.length === 0 && memberIds.length === 0 && sigIds.length === 0) return [];
    const query = this.members.createQueryBuilder('member').leftJoinAndSelect('member.company', 'company');
    query.where('false');
    if (clusterCodes.length > 0) query.orWhere('member.cluster_code IN (:...clusterCodes)', { clusterCodes });
    if (memberIds.length > 0) query.orWhere('member.id IN (:...memberIds)', { memberIds });
    if (sigIds.length > 0) query.orWhere('member.company_id IN (SELECT sc.company_id FROM sig_companies sc WHERE sc.sig_id IN (:...sigIds))', { sigIds });
    return query.orderBy('member.created_at').getMany();
  }

  /** The ids that name no SIG. */
  async missingSigIds(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const found = await this.dataSource.query<{ id: string }[]>(`SELECT id FROM sigs WHERE id = ANY ($1::uuid[])`, [ids]);
    const known = new Set(found.map((row) => row.id));
    return ids.filter((id) => !known.has(id));
  }

  async missingMemberIds(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const found = await this.members.find({ select: { id: true }, where: { id: In(ids) } });
    const known = new Set(found.map((member) => member.id));
    return ids.filter((id) => !known.has(id));
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
    return manager.getRepository(Company).createQueryBuilder('company').where('lower(company.name) = lower(:name)', { name }).getOneOrFail();
  }
}

/** Mail services anyone can use: their domain says nothing about a person's company. */
const PUBLIC_MAIL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'naver.com',
  'daum.net',
  'hanmail.net',
  'kakao.com',
  'nate.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'yahoo.co.kr',
  'icloud.com',
  'me.com',
  'proton.me',
  'protonmail.com',
]);

export function companyDomainOf(email: string): string | null {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return domain && !PUBLIC_MAIL_DOMAINS.has(domain) ? domain : null;
}
