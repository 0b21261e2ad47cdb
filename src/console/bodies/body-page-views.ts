import { ForbiddenException, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DateTime } from 'luxon';
import { actsFor, principalOf } from '../../auth/principal';
import { BodiesRepository } from '../../bodies/bodies.repository';
import { BodyRecord, BodyRecords } from '../../bodies/body-records';
import { mustSeeBody } from '../../bodies/body-rights';
import { BODY_KINDS } from '../../bodies/dto/body.dto';
import { Clock } from '../../common/clock';
import { DomainError, NotFoundError } from '../../common/errors/domain-errors';
import { formatDateTime } from '../../common/templates/date-format';
import { CLUSTER_CODES } from '../../config/cluster-codes';
import { CompaniesService } from '../../directory/companies/companies.service';
import { DirectoryService } from '../../directory/directory.service';
import { SigsService } from '../../directory/sigs/sigs.service';
import { clusterCodes } from '../../events/dto/event.view';
import { EventsService } from '../../events/events.service';
import { reportScopeOf } from '../../reports/reports.reader';
import { ReportsService } from '../../reports/reports.service';
import { ConsolePages } from '../console-pages';

const ZONE = 'Asia/Seoul';

/** The seat form as typed: people by their email, the way an office knows them. */
export interface SeatForm {
  label: string;
  cluster: string;
  companyId: string;
  delegate: string;
  substitute: string;
}

export const EMPTY_SEAT: SeatForm = { label: '', cluster: '', companyId: '', delegate: '', substitute: '' };

/**
 * The two pages of 운영위원회 as BodiesPagesController renders them, after a GET or with a refused
 * form and its errors: the list of bodies with the set-up form, and one body with its roster, its
 * meetings (minutes, and events that could become one) and this year's attendance per seat.
 */
@Injectable()
export class BodyPageViews {
  constructor(
    private readonly pages: ConsolePages,
    private readonly bodies: BodiesRepository,
    private readonly records: BodyRecords,
    private readonly directory: DirectoryService,
    private readonly companies: CompaniesService,
    private readonly sigs: SigsService,
    private readonly events: EventsService,
    private readonly reports: ReportsService,
    private readonly clock: Clock,
  ) {}

  async renderList(
    request: Request,
    response: Response,
    form: { name: string; kind: string; sigId: string },
    errors: Record<string, string>,
    status = 200,
  ): Promise<void> {
    const strings = this.pages.strings(request, response);
    const principal = principalOf(request);
    const bodies = (await this.records.read(null))
      .filter((body) => actsFor(principal, body.clusters))
      .map((body) => ({
        id: body.id,
        name: body.name,
        kindLabel: strings.text(`console.bodies.kinds.${body.kind}`),
        seats: body.seats.length,
        meetings: body.meetings.length,
      }));
    const sigs = (await this.sigs.list(principal)).map((sig) => ({ id: sig.id, name: sig.name, selected: sig.id === form.sigId }));
    this.pages.render(
      request,
      response,
      'console-bodies',
      {
        title: strings.text('console.nav.bodies'),
        section: 'bodies',
        bodies,
        form,
        kinds: BODY_KINDS.map((kind) => ({ kind, label: strings.text(`console.bodies.kinds.${kind}`), checked: kind === form.kind })),
        sigs,
        errors,
        hasErrors: Object.keys(errors).length > 0,
      },
      status,
    );
  }

  async renderBody(request: Request, response: Response, id: string, seat: SeatForm, errors: Record<string, string>, status = 200): Promise<void> {
    const strings = this.pages.strings(request, response);
    const locale = this.pages.locale(request, response);
    const principal = principalOf(request);
    const [body] = await this.records.read([id]);
    if (!body) throw new NotFoundError('body');
    this.mustSee(principal, body);
    const names = await this.directory.clusterNames(locale);
    const now = this.clock.now();
    const year = DateTime.fromJSDate(now).setZone(ZONE).year;
    const attendance = await this.reports.attendance(id, year, now, reportScopeOf(principal));
    const meetings = await Promise.all(
      body.meetings.map(async (meeting) => ({
        ...meeting,
        when: formatDateTime(new Date(meeting.startsAt), ZONE, strings),
        begun: new Date(meeting.startsAt) <= now && meeting.status !== 'cancelled',
        minutes: meeting.hasMinutes ? ((await this.bodies.minutes(id, meeting.eventId))?.text ?? '') : '',
      })),
    );
    const taken = new Set(body.meetings.map((meeting) => meeting.eventId));
    // Meetings to be: published, not begun, hosted by one of the organizer's clusters, not yet this body's.
    const candidates = (await this.events.list({}, { organizer: true }))
      .filter((event) => event.status === 'published' && event.startsAt > now && !taken.has(event.id) && actsFor(principal, clusterCodes(event, 'host')))
      .map((event) => ({ id: event.id, title: event.title, when: formatDateTime(event.startsAt, event.timezone, strings) }));
    const companies = (await this.companies.inClusters(body.clusters.length > 0 ? body.clusters : [...CLUSTER_CODES])).map((company) => ({
      id: company.id,
      name: company.name,
      selected: company.id === seat.companyId,
    }));
    this.pages.render(
      request,
      response,
      'console-body',
      {
        title: body.name,
        section: 'bodies',
        body: { id: body.id, kindLabel: strings.text(`console.bodies.kinds.${body.kind}`) },
        seats: body.seats.map((row) => ({ ...row, for: row.cluster ? (names.get(row.cluster) ?? row.cluster) : (row.company?.name ?? '') })),
        meetings,
        candidates,
        attendance: { year, seats: attendance.seats, csv: `/api/reports/attendance?bodyId=${id}&year=${year}&format=csv` },
        seat,
        clusters: CLUSTER_CODES.map((code) => ({ code, name: names.get(code) ?? code, selected: code === seat.cluster })),
        companies,
        errors,
        hasErrors: Object.keys(errors).length > 0,
      },
      status,
    );
  }

  /** Another cluster's body: the console's 403 page, in its frame. */
  private mustSee(principal: ReturnType<typeof principalOf>, body: BodyRecord): void {
    try {
      mustSeeBody(principal, body);
    } catch (failure) {
      if (failure instanceof DomainError && failure.code === 'forbidden') throw new ForbiddenException(failure.message);
      throw failure;
    }
  }
}
