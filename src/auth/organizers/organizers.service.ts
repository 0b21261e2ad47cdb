import type { Locale } from '../../common/templates/locales';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ConflictError, DomainError, NotFoundError } from '../../common/errors/domain-errors';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { digest } from '../digest';
import { Principal } from '../principal';
import { ApiTokenRecord, OrganizerAccountsRepository, OrganizerRecord } from './organizer-accounts.repository';
import { CreateOrganizerDto } from './organizer.dto';

/** Organizer accounts and their API tokens. */
@Injectable()
export class OrganizersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(OrganizersService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: OrganizerAccountsRepository,
  ) {}

  /** ADMIN_EMAIL names the first federation admin: made at start if no organizer has that address. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.adminEmail || this.config.role === 'worker') return;
    const made = await this.accounts.insert({ email: this.config.adminEmail, name: null, role: 'admin', clusters: [] });
    if (made) this.logger.log(`ADMIN_EMAIL: ${made.email} is a federation admin and can sign in to /console`);
  }

  async create(dto: CreateOrganizerDto): Promise<OrganizerRecord> {
    const clusters = dto.role === 'admin' ? [] : (dto.clusters ?? []);
    if (dto.role === 'cluster_organizer' && clusters.length === 0) {
      throw new DomainError('invalid', 'clusters must name at least one cluster for a cluster_organizer', 'clusters');
    }
    const made = await this.accounts.insert({ email: dto.email, name: dto.name ?? null, role: dto.role, clusters });
    if (!made) throw new ConflictError(`${dto.email} is already an organizer`, 'email');
    return made;
  }

  list(): Promise<OrganizerRecord[]> {
    return this.accounts.list();
  }

  byEmail(email: string): Promise<OrganizerRecord | null> {
    return this.accounts.byEmail(email);
  }

  /** The language an organizer reads the console in, kept for the mails sent to them unasked. */
  rememberLocale(id: string, locale: Locale): Promise<void> {
    return this.accounts.rememberLocale(id, locale);
  }

  locales(ids: string[]): Promise<Map<string, Locale>> {
    return this.accounts.locales(ids);
  }

  /**
   * A new API token for the acting organizer, or (admins only) for another one. The raw token is
   * returned once and stored only as its SHA-256; it acts with its organizer's rights.
   */
  async createToken(actor: Principal, name: string, organizerId?: string): Promise<ApiTokenRecord & { token: string }> {
    let owner = organizerId ?? actor.organizerId;
    if (organizerId && organizerId !== actor.organizerId && actor.role !== 'admin') {
      throw new DomainError('forbidden', 'only a federation admin may make a token for another organizer', 'organizerId');
    }
    if (!owner) {
      // The ADMIN_TOKEN bearer is no account: its tokens belong to the ADMIN_EMAIL admin, if there is one.
      const admin = this.config.adminEmail ? await this.accounts.byEmail(this.config.adminEmail) : null;
      if (!admin) throw new DomainError('invalid', 'the admin token is no organizer account: give organizerId (or set ADMIN_EMAIL)', 'organizerId');
      owner = admin.id;
    }
    const organizer = await this.accounts.byId(owner);
    if (!organizer || organizer.disabledAt) throw new NotFoundError('organizer', 'organizerId');
    const token = `shk_${randomBytes(32).toString('base64url')}`;
    const record = await this.accounts.insertToken(organizer.id, name, digest(token).toString('hex'));
    return { ...record, token };
  }

  async tokens(actor: Principal): Promise<ApiTokenRecord[]> {
    return this.accounts.tokens(actor.role === 'admin' ? undefined : (actor.organizerId ?? undefined));
  }

  /** Revokes a token: its owner or an admin; refused (401) from its next request. */
  async revokeToken(actor: Principal, id: string): Promise<ApiTokenRecord> {
    const token = await this.accounts.token(id);
    if (!token) throw new NotFoundError('token');
    if (actor.role !== 'admin' && token.organizerId !== actor.organizerId) throw new NotFoundError('token');
    await this.accounts.revokeToken(id);
    return { ...token, revokedAt: token.revokedAt ?? new Date() };
  }
}
