import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DirectoryRefsReader } from '../directory/directory-refs.reader';
import { EventsService } from '../events/events.service';
import { BodiesRepository } from './bodies.repository';
import type { BodyView, MeetingRefView, SeatView } from './dto/body.view';

/** A body as read for its view, with the clusters it involves (its SIG's and its seats'), which decide who sees it. */
export interface BodyRecord extends BodyView {
  clusters: string[];
}

/**
 * Bodies as the API and the console show them: the rows of this module's tables (BodiesRepository)
 * with the names the directory and the events module give their ids (the seats' members and
 * companies, the SIG's clusters, the meetings' events), asked of them rather than joined in SQL.
 * On the caller's manager, so a use case reads what its transaction wrote.
 */
@Injectable()
export class BodyRecords {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bodies: BodiesRepository,
    private readonly directory: DirectoryRefsReader,
    private readonly events: EventsService,
  ) {}

  /** Bodies with their seats and meetings (by start); `ids` null for all. */
  async read(ids: string[] | null, manager: EntityManager = this.dataSource.manager): Promise<BodyRecord[]> {
    const rows = await this.bodies.read(ids, manager);
    const seats = rows.flatMap((row) => row.seats);
    const unique = (values: (string | null)[]) => [...new Set(values.filter((value): value is string => value !== null))];
    // One statement at a time: the caller's transaction runs on one connection.
    const members = await this.directory.members(unique(seats.flatMap((seat) => [seat.delegateId, seat.substituteId])), manager);
    const companies = await this.directory.companies(unique(seats.map((seat) => seat.companyId)), manager);
    const sigClusters = await this.directory.clustersOfSigs(unique(rows.map((row) => row.sigId)), manager);
    const events = new Map(
      (await this.events.summaries(unique(rows.flatMap((row) => row.meetings.map((meeting) => meeting.eventId))), manager)).map((event) => [event.id, event]),
    );
    const person = (id: string | null) => {
      const member = id === null ? undefined : members.get(id);
      return member ? { id: member.id, name: member.name, email: member.email } : null;
    };
    return rows.map((row) => {
      const seatViews = row.seats.flatMap((seat): SeatView[] => {
        const delegate = person(seat.delegateId);
        if (!delegate) return [];
        const company = seat.companyId === null ? undefined : companies.get(seat.companyId);
        return [
          {
            id: seat.id,
            label: seat.label,
            cluster: seat.cluster,
            company: company ? { id: company.id, name: company.name } : null,
            delegate,
            substitute: person(seat.substituteId),
          },
        ];
      });
      const meetings = row.meetings
        .flatMap((meeting): MeetingRefView[] => {
          const event = events.get(meeting.eventId);
          return event ? [{ eventId: event.id, title: event.title, startsAt: event.startsAt, status: event.status, hasMinutes: meeting.hasMinutes }] : [];
        })
        .sort((a, b) => new Date(a.startsAt).getTime() - new Date(b.startsAt).getTime());
      const involved = [
        ...(row.sigId === null ? [] : (sigClusters.get(row.sigId) ?? [])),
        ...row.seats.map((seat) => seat.cluster ?? (seat.companyId === null ? null : (companies.get(seat.companyId)?.clusterCode ?? null))),
      ];
      return { id: row.id, name: row.name, kind: row.kind, sigId: row.sigId, createdAt: row.createdAt, seats: seatViews, meetings, clusters: unique(involved) };
    });
  }

  /** The cluster a seat of the body is for (its own, or its company's); null when that company is gone, undefined when there is no such seat. */
  async seatCluster(manager: EntityManager, bodyId: string, seatId: string): Promise<string | null | undefined> {
    const seat = await this.bodies.seatFor(manager, bodyId, seatId);
    if (!seat) return undefined;
    if (seat.cluster !== null) return seat.cluster;
    return seat.companyId === null ? null : ((await this.directory.companies([seat.companyId], manager)).get(seat.companyId)?.clusterCode ?? null);
  }
}
