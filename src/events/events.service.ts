import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { NotFoundError } from '../common/errors/domain-errors';
import { ListEventsQuery } from './dto/list-events.query';
import { EventCluster } from './entities/event-cluster.entity';
import { EventQuota } from './entities/event-quota.entity';
import { EventStatus, SeminarEvent } from './entities/event.entity';
import { EventCursor } from './dto/event-cursor';
import { readRegistrationFacts, RegistrationFacts } from './registration-facts';

/**
 * SQL giving the version of the event whose id the SQL expression `idSql` yields: it changes with
 * every change of the event (its fields and status through TypeORM's updated_at, its hosts,
 * audience and quotas through the bumps below). A reader that keeps an event between requests
 * asks for it within a statement it makes anyway and reloads the event when it differs, so the
 * check costs no round trip of its own (the mail worker, notifications/mail/mail-facts.reader.ts).
 */
export function eventVersionSql(idSql: string): string {
  return `(SELECT e.updated_at::text FROM events e WHERE e.id = ${idSql})`;
}

export interface EventVisibility {
  /** Organizers see drafts; everyone else only published (and cancelled, so a cancellation is visible). */
  organizer: boolean;
}

/** Narrows a list of events: the console's lists and the API's pages. */
export interface EventListScope {
  /** Only events one of these clusters hosts or co-hosts (a cluster organizer's); absent: all. */
  hostedBy?: readonly string[];
  status?: EventStatus;
  /** upcoming: not ended at `now`, soonest first; past: ended before `now`, latest first. */
  period?: { when: 'upcoming' | 'past'; now: Date };
  /** A page of at most `limit` events after the cursor, in the list's order. */
  limit?: number;
  after?: EventCursor;
}

/** What another module shows of an event it refers to. */
export interface EventSummary {
  id: string;
  title: string;
  startsAt: Date;
  timezone: string;
  status: EventStatus;
}

/**
 * The events module's data and what other modules ask of it: reading events (pages, feeds, short
 * summaries), the event's row lock under which every change of the event and of its seats is
 * decided, and the replacement of its hosts and quotas. The seat counter is EventSeatCounter, what
 * the periodic jobs walk DueEventsReader; the changes themselves are use cases (use-cases/: create,
 * update, publish, cancel).
 */
@Injectable()
export class EventsService {
  private readonly uidDomain: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.uidDomain = new URL(config.publicUrl).hostname;
  }

  /** RFC 5545 §3.8.4.7: globally unique; the host part keeps it unique across deployments. */
  uidOf(id: string): string {
    return `${id}@${this.uidDomain}`;
  }

  async list(query: ListEventsQuery, visibility: EventVisibility, scope: EventListScope = {}): Promise<SeminarEvent[]> {
    return (await this.page(query, visibility, scope)).events;
  }

  /**
   * Events in a stable order (start, then id; reversed for past events) with the cursor of the next
   * page when `scope.limit` cut the list: one more row is read to know whether there is one.
   */
  async page(query: ListEventsQuery, visibility: EventVisibility, scope: EventListScope = {}): Promise<{ events: SeminarEvent[]; next: SeminarEvent | null }> {
    const descending = scope.period?.when === 'past';
    const direction = descending ? 'DESC' : 'ASC';
    const builder = this.dataSource
      .getRepository(SeminarEvent)
      .createQueryBuilder('event')
      .leftJoinAndSelect('event.clusters', 'cluster')
      .leftJoinAndSelect('event.quotas', 'quota')
      .orderBy('event.startsAt', direction)
      .addOrderBy('event.id', direction);
    if (!visibility.organizer) builder.andWhere(`event.status = 'published'`);
    if (query.from) builder.andWhere('event.ends_at >= :from', { from: new Date(query.from) });
    if (query.to) builder.andWhere('event.starts_at < :to', { to: new Date(query.to) });
    if (query.cluster) {
      builder.andWhere('EXISTS (SELECT 1 FROM event_clusters ec WHERE ec.event_id = event.id AND ec.cluster_code = :cluster)', {
        cluster: query.cluster,
      });
    }
    if (scope.hostedBy) {
      builder.andWhere(`EXISTS (SELECT 1 FROM event_clusters eh WHERE eh.event_id = event.id AND eh.role = 'host' AND eh.cluster_code = ANY(:hostedBy))`, {
        hostedBy: scope.hostedBy,
      });
    }
    if (scope.status) builder.andWhere('event.status = :status', { status: scope.status });
    if (scope.period) builder.andWhere(`event.ends_at ${descending ? '<' : '>='} :now`, { now: scope.period.now });
    if (scope.after) {
      builder.andWhere(`(event.starts_at, event.id) ${descending ? '<' : '>'} (:afterStart, :afterId)`, {
        afterStart: scope.after.startsAt,
        afterId: scope.after.id,
      });
    }
    if (scope.limit === undefined) return { events: await builder.getMany(), next: null };
    const rows = await builder.take(scope.limit + 1).getMany();
    const events = rows.slice(0, scope.limit);
    return { events, next: rows.length > scope.limit ? events[events.length - 1] : null };
  }

  /** A cluster's feed: events it hosts, published or cancelled (so calendars drop the cancelled ones). */
  feedOfCluster(code: string): Promise<SeminarEvent[]> {
    return (
      this.dataSource
        .getRepository(SeminarEvent)
        .createQueryBuilder('event')
        .leftJoinAndSelect('event.clusters', 'cluster')
        .where(`event.status IN ('published', 'cancelled')`)
        .andWhere(`EXISTS (SELECT 1 FROM event_clusters ec WHERE ec.event_id = event.id AND ec.role = 'host' AND ec.cluster_code = :code)`, { code })
        .orderBy('event.starts_at', 'ASC')
        // A fixed order: the feed's bytes (and so its ETag) must not change between two polls.
        .addOrderBy('event.id', 'ASC')
        .getMany()
    );
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
   * What a public registration decides on, in one statement: the registration window and the host
   * clusters (who receives the registrant's data). Not found for a draft, as `get` without
   * organizer rights. No row lock, as before this read was lean: the seat is decided under the
   * event's FOR UPDATE when the link is used, which checks the window again.
   */
  registrationFacts(manager: EntityManager, id: string): Promise<RegistrationFacts> {
    return readRegistrationFacts(manager, id);
  }

  /**
   * Locks the event row for the rest of the caller's transaction. Registrations take it before
   * counting seats, so two confirmations for the last seat are decided one after the other.
   */
  async lock(manager: EntityManager, id: string): Promise<SeminarEvent> {
    const locked: { id: string }[] = await manager.query(`SELECT id FROM events WHERE id = $1 FOR UPDATE`, [id]);
    if (locked.length === 0) throw new NotFoundError('event');
    return this.reload(manager, id);
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

  /** The event's host clusters (for rights checks), or null when there is no such event. */
  async hostsOf(id: string): Promise<string[] | null> {
    const rows = await this.dataSource.query<{ hosts: string[] | null }[]>(
      `SELECT array_agg(c.cluster_code) FILTER (WHERE c.role = 'host') AS hosts FROM events e LEFT JOIN event_clusters c ON c.event_id = e.id WHERE e.id = $1 GROUP BY e.id`,
      [id],
    );
    return rows[0] ? (rows[0].hosts ?? []) : null;
  }

  /** The event with its clusters and quotas, on the caller's manager (after a change in its transaction). */
  async reload(manager: EntityManager, id: string): Promise<SeminarEvent> {
    return manager.findOneOrFail(SeminarEvent, { where: { id }, relations: { clusters: true, quotas: true } });
  }

  /** Title, start and status of the events, by id (a body's meetings); an id of no event is left out. */
  async summaries(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<EventSummary[]> {
    if (ids.length === 0) return [];
    return manager.query<EventSummary[]>(`SELECT id, title, starts_at AS "startsAt", timezone, status FROM events WHERE id = ANY ($1::uuid[])`, [ids]);
  }

  /** The ids of the events these clusters host (a cluster organizer's scope), without loading the events. */
  async idsHostedBy(clusters: readonly string[]): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT DISTINCT event_id AS id FROM event_clusters WHERE role = 'host' AND cluster_code = ANY ($1::varchar[])`,
      [clusters],
    );
    return rows.map((row) => row.id);
  }

  async markQuotasReleased(manager: EntityManager, id: string): Promise<void> {
    await manager.update(SeminarEvent, id, { quotaReleased: true });
  }

  /** Replaces the event's cluster quotas (the caller holds the event lock). */
  async replaceQuotas(manager: EntityManager, eventId: string, quotas: { cluster: string; seats: number }[]): Promise<void> {
    await manager.delete(EventQuota, { eventId });
    await this.bumpVersion(manager, eventId);
    if (quotas.length > 0)
      await manager.insert(
        EventQuota,
        quotas.map((quota) => ({ eventId, clusterCode: quota.cluster, seats: quota.seats })),
      );
  }

  /** Replaces the event's hosts and audience (the caller holds the event lock). */
  async replaceClusters(manager: EntityManager, eventId: string, hosts: string[], audience: string[]): Promise<void> {
    await manager.delete(EventCluster, { eventId });
    await this.bumpVersion(manager, eventId);
    await manager.insert(EventCluster, [
      ...hosts.map((clusterCode) => ({ eventId, clusterCode, role: 'host' as const })),
      ...audience.map((clusterCode) => ({ eventId, clusterCode, role: 'audience' as const })),
    ]);
  }

  /** The rows of other tables are part of the event too: a change to them is a new version (eventVersionSql). */
  private async bumpVersion(manager: EntityManager, eventId: string): Promise<void> {
    await manager.query(`UPDATE events SET updated_at = now() WHERE id = $1`, [eventId]);
  }
}
