import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { actsFor, Principal } from '../../auth/principal';
import { DomainError, NotFoundError } from '../../common/errors/domain-errors';
import { clusterCodes } from '../dto/event.view';
import { SeminarEvent } from '../entities/event.entity';
import { checkEventTimes } from '../event-rules';
import { EventsService, EventVisibility } from '../events.service';
import { CreateEvent, leadHostOf } from '../use-cases/create-event';
import { PublishEvent } from '../use-cases/publish-event';
import { CreateSeriesDto } from './dto/create-series.dto';
import { EventSeries } from './event-series.entity';
import { expandSeries } from './recurrence';

export interface SeriesWithOccurrences {
  series: EventSeries;
  /** In the order of their original start (recurrence_id). */
  occurrences: SeminarEvent[];
}

/**
 * Recurring events: a rule materialised as ordinary draft events, one per occurrence, linked by
 * series_id and recurrence_id. After that each occurrence lives alone (PATCH, cancel, invitations,
 * registrations through the events use cases and the registrations module, as any event).
 */
@Injectable()
export class SeriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly createEvent: CreateEvent,
    private readonly publishEvent: PublishEvent,
  ) {}

  /**
   * Expands the rule in the event's zone and creates the series and all its occurrences in one
   * transaction. A cluster organizer's series is hosted by their own clusters only: co-hosts
   * approve an event at a time (events/approvals), and a series of up to 61 occurrences is not
   * something to ask them 61 times about, so a co-hosted series is made by a federation admin.
   */
  async create(dto: CreateSeriesDto, proposer: Principal | null = null): Promise<SeriesWithOccurrences> {
    if (proposer && proposer.role !== 'admin' && !dto.hostClusters.every((host) => actsFor(proposer, [host]))) {
      throw new DomainError(
        'forbidden',
        `hostClusters must be among your clusters (${proposer.clusters.join(', ')}): a series co-hosted with other clusters is made by a federation admin`,
        'hostClusters',
      );
    }
    const { rrule: ruleText, ...eventFields } = dto;
    const timezone = dto.timezone ?? 'Asia/Seoul';
    const firstStart = new Date(dto.startsAt);
    const firstEnd = new Date(dto.endsAt);
    // Before the expansion: each occurrence keeps the first one's duration, checked here once.
    checkEventTimes({ startsAt: firstStart, endsAt: firstEnd, registrationOpensAt: null, registrationClosesAt: null, quotaReleaseAt: null });
    const { rrule, starts } = expandSeries({ rrule: ruleText, startsAt: firstStart, timezone });
    // RFC 5545 §3.8.5.3: every instance lasts as long as the first, an exact duration.
    const duration = firstEnd.getTime() - firstStart.getTime();
    const id = randomUUID();
    return this.dataSource.transaction(async (manager) => {
      await manager.insert(EventSeries, {
        id,
        uid: this.events.uidOf(id),
        rrule,
        type: dto.type,
        title: dto.title,
        description: dto.description ?? null,
        firstStartsAt: starts[0],
        firstEndsAt: new Date(starts[0].getTime() + duration),
        timezone,
        venue: dto.venue ?? null,
        onlineUrl: dto.onlineUrl ?? null,
      });
      const occurrences: SeminarEvent[] = [];
      for (const start of starts) {
        const occurrence = { ...eventFields, timezone, startsAt: start.toISOString(), endsAt: new Date(start.getTime() + duration).toISOString() };
        occurrences.push(await this.createEvent.within(manager, occurrence, { seriesId: id, recurrenceId: start }, leadHostOf(proposer, dto.hostClusters)));
      }
      return { series: await manager.findOneByOrFail(EventSeries, { id }), occurrences };
    });
  }

  /**
   * A series and its occurrences. Organizers see every occurrence; anyone else sees a series once
   * one of its occurrences has been published, with its published and cancelled occurrences.
   */
  async get(id: string, visibility: EventVisibility): Promise<SeriesWithOccurrences> {
    const found = await this.load(this.dataSource.manager, id);
    if (visibility.organizer) return found;
    if (!found.occurrences.some((event) => event.publishedAt !== null)) throw new NotFoundError('series');
    return { series: found.series, occurrences: found.occurrences.filter((event) => event.status !== 'draft') };
  }

  /**
   * The series feed's input: the series and every occurrence (the calendar leaves out those never
   * published). 404 until one occurrence has been published.
   */
  async forFeed(id: string): Promise<SeriesWithOccurrences> {
    const found = await this.load(this.dataSource.manager, id);
    if (!found.occurrences.some((event) => event.publishedAt !== null)) throw new NotFoundError('series');
    return found;
  }

  /**
   * The series row alone, for the calendar: mail and downloads about one occurrence are written as
   * an instance of its series (the series' UID, the occurrence's RECURRENCE-ID in the series' zone).
   */
  async find(id: string): Promise<EventSeries> {
    const series = await this.dataSource.manager.findOneBy(EventSeries, { id });
    if (!series) throw new NotFoundError('series');
    return series;
  }

  /**
   * Publishes every draft occurrence in one transaction (each with its usual hooks: reminders,
   * notices); cancelled occurrences stay cancelled. Publishing again changes nothing.
   */
  async publish(id: string, publisher: Principal | null): Promise<SeriesWithOccurrences> {
    return this.dataSource.transaction(async (manager) => {
      // The series row lock makes two concurrent publishes of one series run one after the other.
      const locked: { id: string }[] = await manager.query(`SELECT id FROM event_series WHERE id = $1 FOR UPDATE`, [id]);
      if (locked.length === 0) throw new NotFoundError('series');
      const { occurrences } = await this.load(manager, id);
      // As for one event (EventScopeGuard): a cluster organizer publishes only what their clusters host.
      if (occurrences.some((occurrence) => !actsFor(publisher, clusterCodes(occurrence, 'host')))) {
        throw new DomainError('forbidden', 'this series is not hosted by one of your clusters', 'id');
      }
      for (const occurrence of occurrences) {
        if (occurrence.status === 'draft') await this.publishEvent.execute(occurrence.id, manager);
      }
      return this.load(manager, id);
    });
  }

  private async load(manager: EntityManager, id: string): Promise<SeriesWithOccurrences> {
    const series = await manager.findOneBy(EventSeries, { id });
    if (!series) throw new NotFoundError('series');
    const occurrences = await manager
      .getRepository(SeminarEvent)
      .createQueryBuilder('event')
      .leftJoinAndSelect('event.clusters', 'cluster')
      .leftJoinAndSelect('event.quotas', 'quota')
      .where('event.series_id = :id', { id })
      .orderBy('event.recurrence_id', 'ASC')
      .getMany();
    return { series, occurrences };
  }
}
