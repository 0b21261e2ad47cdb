import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/errors/domain-errors';
import { CLUSTER_CODES } from '../common/cluster-codes';
import { CreateEventDto } from './dto/create-event.dto';
import { clusterCodes } from './dto/event.view';
import { ListEventsQuery } from './dto/list-events.query';
import { UpdateEventDto } from './dto/update-event.dto';
import { EventCluster } from './entities/event-cluster.entity';
import { EventLifecycleHooks } from './event-lifecycle.hooks';
import { EventQuota } from './entities/event-quota.entity';
import { checkEventTimes, TIME_FIELDS } from './event-rules';
import { SeminarEvent } from './entities/event.entity';

/** Fields whose change an attendee must see in their calendar: each such change bumps SEQUENCE. */
const ATTENDEE_VISIBLE_FIELDS = ['title', 'description', 'startsAt', 'endsAt', 'timezone', 'venue', 'onlineUrl'] as const;
const REQUIRED_FIELDS = ['title', 'type', 'startsAt', 'endsAt', 'timezone', 'hostClusters', 'audienceClusters', 'reminderOffsetsMinutes'] as const;
/** Reminders 24 hours and 1 hour before the start, unless the event says otherwise. */
const DEFAULT_REMINDER_OFFSETS_MINUTES = [1440, 60];

export interface EventVisibility {
  /** Organizers see drafts; everyone else only published (and cancelled, so a cancellation is visible). */
  organizer: boolean;
}

/** The life of an event: draft → published → cancelled, its hosts and audience, and its seat count. */
@Injectable()
export class EventsService {
  private readonly uidDomain: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hooks: EventLifecycleHooks,
  ) {
    this.uidDomain = new URL(config.publicUrl).hostname;
  }

  async create(dto: CreateEventDto): Promise<SeminarEvent> {
    return this.dataSource.transaction((manager) => this.createIn(manager, dto));
  }

  /**
   * Creates one draft event in the caller's transaction: `create`, and each occurrence of a
   * series (`occurrenceOf` links it to the series and its original start).
   */
  async createIn(manager: EntityManager, dto: CreateEventDto, occurrenceOf?: { seriesId: string; recurrenceId: Date }): Promise<SeminarEvent> {
    const startsAt = new Date(dto.startsAt);
    const endsAt = new Date(dto.endsAt);
    const opensAt = dto.registrationOpensAt ? new Date(dto.registrationOpensAt) : null;
    const closesAt = dto.registrationClosesAt ? new Date(dto.registrationClosesAt) : null;
    const quotaReleaseAt = dto.quotaReleaseAt ? new Date(dto.quotaReleaseAt) : null;
    checkEventTimes({ startsAt, endsAt, registrationOpensAt: opensAt, registrationClosesAt: closesAt, quotaReleaseAt });
    checkQuotas(dto.quotas ?? [], dto.capacity ?? null);
    const id = randomUUID();
    await manager.insert(SeminarEvent, {
      id,
      uid: this.uidOf(id),
      sequence: 0,
      type: dto.type,
      title: dto.title,
      description: dto.description ?? null,
      startsAt,
      endsAt,
      timezone: dto.timezone ?? 'Asia/Seoul',
      reminderOffsetsMinutes: reminderOffsets(dto.reminderOffsetsMinutes ?? DEFAULT_REMINDER_OFFSETS_MINUTES),
      venue: dto.venue ?? null,
      onlineUrl: dto.onlineUrl ?? null,
      capacity: dto.capacity ?? null,
      seatsTaken: 0,
      status: 'draft',
      registrationOpensAt: opensAt,
      registrationClosesAt: closesAt,
      quotaReleaseAt,
      quotaReleased: false,
      seriesId: occurrenceOf?.seriesId ?? null,
      recurrenceId: occurrenceOf?.recurrenceId ?? null,
    });
    await this.writeClusters(manager, id, dto.hostClusters, dto.audienceClusters ?? [...CLUSTER_CODES]);
    await this.writeQuotas(manager, id, dto.quotas ?? []);
    return this.load(manager, id);
  }

  /** RFC 5545 §3.8.4.7: globally unique; the host part keeps it unique across deployments. */
  uidOf(id: string): string {
    return `${id}@${this.uidDomain}`;
  }

  /**
   * Changes the fields present in the body; null clears an optional field. On a published event a
   * change attendees must see bumps SEQUENCE; `changed` lists those fields for the update mail.
   */
  async update(id: string, dto: UpdateEventDto): Promise<{ event: SeminarEvent; changed: string[] }> {
    for (const field of REQUIRED_FIELDS) {
      if (field in dto && (dto as Record<string, unknown>)[field] === null) throw new InvalidInputError(field, 'must not be null');
    }
    return this.dataSource.transaction(async (manager) => {
      const event = await this.lock(manager, id);
      if (event.status === 'cancelled') throw new ConflictError('a cancelled event cannot be changed');
      const before = { ...event };
      const patch: Partial<SeminarEvent> = {};
      if (dto.title !== undefined) patch.title = dto.title;
      if (dto.type !== undefined) patch.type = dto.type;
      if (dto.description !== undefined) patch.description = dto.description ?? null;
      if (dto.startsAt !== undefined) patch.startsAt = new Date(dto.startsAt);
      if (dto.endsAt !== undefined) patch.endsAt = new Date(dto.endsAt);
      if (dto.timezone !== undefined) patch.timezone = dto.timezone;
      if (dto.venue !== undefined) patch.venue = dto.venue ?? null;
      if (dto.onlineUrl !== undefined) patch.onlineUrl = dto.onlineUrl ?? null;
      if (dto.capacity !== undefined) patch.capacity = dto.capacity ?? null;
      if (dto.reminderOffsetsMinutes !== undefined) patch.reminderOffsetsMinutes = reminderOffsets(dto.reminderOffsetsMinutes);
      if (dto.registrationOpensAt !== undefined) patch.registrationOpensAt = dto.registrationOpensAt ? new Date(dto.registrationOpensAt) : null;
      if (dto.registrationClosesAt !== undefined) patch.registrationClosesAt = dto.registrationClosesAt ? new Date(dto.registrationClosesAt) : null;
      if (dto.quotaReleaseAt !== undefined) patch.quotaReleaseAt = dto.quotaReleaseAt ? new Date(dto.quotaReleaseAt) : null;
      const after = { ...event, ...patch };
      // The merged result: a PATCH moving startsAt is checked against the stored windows, and the reverse.
      checkEventTimes(after, new Set(TIME_FIELDS.filter((field) => dto[field] !== undefined)));
      const quotas = dto.quotas === undefined ? event.quotas.map((q) => ({ cluster: q.clusterCode, seats: q.seats })) : (dto.quotas ?? []);
      checkQuotas(quotas, after.capacity);
      if (after.capacity !== null && after.capacity < event.seatsTaken) {
        throw new ConflictError(`capacity cannot be below the ${event.seatsTaken} seats already taken`, 'capacity');
      }
      const changed = ATTENDEE_VISIBLE_FIELDS.filter((field) => !sameValue(before[field], after[field]));
      if (event.status === 'published' && changed.length > 0) patch.sequence = event.sequence + 1;
      if (Object.keys(patch).length > 0) await manager.update(SeminarEvent, id, patch);
      if (dto.quotas !== undefined) await this.writeQuotas(manager, id, dto.quotas ?? []);
      if (dto.hostClusters || dto.audienceClusters) {
        await this.writeClusters(
          manager,
          id,
          dto.hostClusters ?? clusterCodes(event, 'host'),
          dto.audienceClusters ?? clusterCodes(event, 'audience'),
        );
      }
      const updated = await this.load(manager, id);
      if (event.status === 'published' && changed.length > 0) {
        await this.hooks.emit(manager, { kind: 'updated', event: updated, previous: before as SeminarEvent, changed });
      } else if (event.status === 'published' && String(before.reminderOffsetsMinutes) !== String(updated.reminderOffsetsMinutes)) {
        await this.hooks.emit(manager, { kind: 'reminders_changed', event: updated, previous: before as SeminarEvent });
      }
      return { event: updated, changed };
    });
  }

  /** Publishes a draft, in its own transaction or in the caller's (a series publishes all its occurrences in one). */
  async publish(id: string, inTransaction?: EntityManager): Promise<SeminarEvent> {
    const run = async (manager: EntityManager) => {
      const event = await this.lock(manager, id);
      if (event.status === 'cancelled') throw new ConflictError('a cancelled event cannot be published');
      if (event.status !== 'draft') return event;
      await manager.update(SeminarEvent, id, { status: 'published', publishedAt: new Date() });
      const published = await this.load(manager, id);
      await this.hooks.emit(manager, { kind: 'published', event: published });
      return published;
    };
    return inTransaction ? run(inTransaction) : this.dataSource.transaction(run);
  }

  /** Cancels the event; listeners write the cancellation notices in the same transaction. */
  async cancel(id: string, reason: string | undefined): Promise<SeminarEvent> {
    return this.dataSource.transaction(async (manager) => {
      const event = await this.lock(manager, id);
      if (event.status === 'cancelled') return event;
      await manager.update(SeminarEvent, id, {
        status: 'cancelled',
        cancelledAt: new Date(),
        cancelReason: reason ?? null,
        // A cancel is a change attendees must see (RFC 5546 §3.2.5): it carries a higher SEQUENCE.
        sequence: event.status === 'published' ? event.sequence + 1 : event.sequence,
      });
      const cancelled = await this.load(manager, id);
      if (event.status === 'published') await this.hooks.emit(manager, { kind: 'cancelled', event: cancelled, reason: reason ?? null });
      return cancelled;
    });
  }

  async list(query: ListEventsQuery, visibility: EventVisibility): Promise<SeminarEvent[]> {
    const builder = this.dataSource
      .getRepository(SeminarEvent)
      .createQueryBuilder('event')
      .leftJoinAndSelect('event.clusters', 'cluster')
      .leftJoinAndSelect('event.quotas', 'quota')
      .orderBy('event.starts_at', 'ASC')
      .addOrderBy('event.id', 'ASC');
    if (!visibility.organizer) builder.andWhere(`event.status = 'published'`);
    if (query.from) builder.andWhere('event.ends_at >= :from', { from: new Date(query.from) });
    if (query.to) builder.andWhere('event.starts_at < :to', { to: new Date(query.to) });
    if (query.cluster) {
      builder.andWhere('EXISTS (SELECT 1 FROM event_clusters ec WHERE ec.event_id = event.id AND ec.cluster_code = :cluster)', {
        cluster: query.cluster,
      });
    }
    return builder.getMany();
  }

  /** A cluster's feed: events it hosts, published or cancelled (so calendars drop the cancelled ones). */
  feedOfCluster(code: string): Promise<SeminarEvent[]> {
    return this.dataSource
      .getRepository(SeminarEvent)
      .createQueryBuilder('event')
      .leftJoinAndSelect('event.clusters', 'cluster')
      .where(`event.status IN ('published', 'cancelled')`)
      .andWhere(`EXISTS (SELECT 1 FROM event_clusters ec WHERE ec.event_id = event.id AND ec.role = 'host' AND ec.cluster_code = :code)`, { code })
      .orderBy('event.starts_at', 'ASC')
      // A fixed order: the feed's bytes (and so its ETag) must not change between two polls.
      .addOrderBy('event.id', 'ASC')
      .getMany();
  }

  /** A personal feed's events, by id: published or cancelled only (never a draft), in a fixed order. */
  async feedOfEvents(ids: string[]): Promise<SeminarEvent[]> {
    if (ids.length === 0) return [];
    return this.dataSource
      .getRepository(SeminarEvent)
      .createQueryBuilder('event')
      .leftJoinAndSelect('event.clusters', 'cluster')
      .where(`event.status IN ('published', 'cancelled')`)
      .andWhere('event.id = ANY(:ids)', { ids })
      .orderBy('event.starts_at', 'ASC')
      .addOrderBy('event.id', 'ASC')
      .getMany();
  }

  async get(id: string, visibility: EventVisibility, manager: EntityManager = this.dataSource.manager): Promise<SeminarEvent> {
    const event = await manager.findOne(SeminarEvent, { where: { id }, relations: { clusters: true, quotas: true } });
    if (!event || (!visibility.organizer && event.status === 'draft')) throw new NotFoundError('event');
    return event;
  }

  /**
   * Locks the event row for the rest of the caller's transaction. Registrations take it before
   * counting seats, so two confirmations for the last seat are decided one after the other.
   */
  async lock(manager: EntityManager, id: string): Promise<SeminarEvent> {
    const locked = await manager.query(`SELECT id FROM events WHERE id = $1 FOR UPDATE`, [id]);
    if (locked.length === 0) throw new NotFoundError('event');
    return this.load(manager, id);
  }

  /**
   * The event's reminder fields under a share lock (FOR SHARE) for the rest of the caller's
   * transaction: it waits for a change of the event in flight (which holds FOR UPDATE) and reads
   * what that change committed. Null when the event is gone.
   */
  async lockForShare(manager: EntityManager, id: string): Promise<Pick<SeminarEvent, 'status' | 'startsAt' | 'reminderOffsetsMinutes'> | null> {
    const rows: { status: SeminarEvent['status']; starts_at: Date; reminder_offsets_minutes: number[] }[] = await manager.query(
      `SELECT status, starts_at, reminder_offsets_minutes FROM events WHERE id = $1 FOR SHARE`,
      [id],
    );
    const row = rows[0];
    return row ? { status: row.status, startsAt: row.starts_at, reminderOffsetsMinutes: row.reminder_offsets_minutes } : null;
  }

  /**
   * The event's seat counter, for seat accounting (registrations/seats/seats.ts, the one caller).
   * Takes one seat if one is free: a single conditional UPDATE, so the seat count can never pass
   * the capacity however many confirmations race (and the schema's CHECK backs it up).
   */
  async takeSeat(manager: EntityManager, id: string): Promise<boolean> {
    const [, affected] = await manager.query(
      `UPDATE events SET seats_taken = seats_taken + 1 WHERE id = $1 AND (capacity IS NULL OR seats_taken < capacity)`,
      [id],
    );
    return affected === 1;
  }

  private async load(manager: EntityManager, id: string): Promise<SeminarEvent> {
    return manager.findOneOrFail(SeminarEvent, { where: { id }, relations: { clusters: true, quotas: true } });
  }

  /** Gives back one confirmed seat (a cancellation); the caller holds the event lock. */
  async releaseSeat(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`UPDATE events SET seats_taken = seats_taken - 1 WHERE id = $1 AND seats_taken > 0`, [id]);
  }

  /** Published events whose reserved seats are due to return to the open pool. */
  async dueQuotaReleases(): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT e.id FROM events e
        WHERE e.status = 'published' AND NOT e.quota_released AND e.capacity IS NOT NULL
          AND EXISTS (SELECT 1 FROM event_quotas q WHERE q.event_id = e.id)
          AND coalesce(e.quota_release_at, e.starts_at - interval '48 hours') <= now()`,
    );
    return rows.map((row) => row.id);
  }

  /** The ids of the events (any status) that ended before `instant`: retention keeps their records that long. */
  async endedBefore(instant: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM events WHERE ends_at < $1`, [instant]);
    return rows.map((row) => row.id);
  }

  /** Published events still ahead that have reminders: what reminder planning walks. */
  async upcomingWithReminders(): Promise<Pick<SeminarEvent, 'id' | 'status' | 'startsAt' | 'reminderOffsetsMinutes'>[]> {
    const rows: { id: string; status: SeminarEvent['status']; starts_at: Date; reminder_offsets_minutes: number[] }[] = await this.dataSource.query(
      `SELECT id, status, starts_at, reminder_offsets_minutes FROM events
        WHERE status = 'published' AND starts_at > now() AND cardinality(reminder_offsets_minutes) > 0`,
    );
    return rows.map((row) => ({ id: row.id, status: row.status, startsAt: row.starts_at, reminderOffsetsMinutes: row.reminder_offsets_minutes }));
  }

  async markQuotasReleased(manager: EntityManager, id: string): Promise<void> {
    await manager.update(SeminarEvent, id, { quotaReleased: true });
  }

  private async writeQuotas(manager: EntityManager, eventId: string, quotas: { cluster: string; seats: number }[]): Promise<void> {
    await manager.delete(EventQuota, { eventId });
    if (quotas.length > 0) await manager.insert(EventQuota, quotas.map((quota) => ({ eventId, clusterCode: quota.cluster, seats: quota.seats })));
  }

  private async writeClusters(manager: EntityManager, eventId: string, hosts: string[], audience: string[]): Promise<void> {
    await manager.delete(EventCluster, { eventId });
    await manager.insert(EventCluster, [
      ...hosts.map((clusterCode) => ({ eventId, clusterCode, role: 'host' as const })),
      ...audience.map((clusterCode) => ({ eventId, clusterCode, role: 'audience' as const })),
    ]);
  }
}

function checkQuotas(quotas: { cluster: string; seats: number }[], capacity: number | null): void {
  if (quotas.length === 0) return;
  if (capacity === null) throw new InvalidInputError('quotas', 'need a capacity (reserved seats are part of it)');
  if (new Set(quotas.map((quota) => quota.cluster)).size !== quotas.length) throw new InvalidInputError('quotas', 'must not name a cluster twice');
  const reserved = quotas.reduce((sum, quota) => sum + quota.seats, 0);
  if (reserved > capacity) throw new InvalidInputError('quotas', `reserve ${reserved} seats, more than the capacity of ${capacity}`);
}

/** Largest first, each once: the order reminders go out in. */
function reminderOffsets(minutes: number[]): number[] {
  return [...new Set(minutes)].sort((a, b) => b - a);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}
