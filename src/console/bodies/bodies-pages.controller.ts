import { Controller, ForbiddenException, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DateTime } from 'luxon';
import { AuditLog } from '../../auth/audit/audit-log.service';
import { actsFor, principalOf } from '../../auth/principal';
import { BodiesRepository } from '../../bodies/bodies.repository';
import { BodyRecord, BodyRecords } from '../../bodies/body-records';
import { mustSeeBody } from '../../bodies/body-rights';
import { AddMeetingDto, BODY_KINDS, CreateBodyDto, MinutesDto, SeatDto } from '../../bodies/dto/body.dto';
import { AttachMinutes } from '../../bodies/use-cases/attach-minutes';
import { CreateBody } from '../../bodies/use-cases/create-body';
import { HoldMeeting } from '../../bodies/use-cases/hold-meeting';
import { SetSeat } from '../../bodies/use-cases/set-seat';
import { Clock } from '../../common/clock';
import { DomainError, NotFoundError } from '../../common/errors/domain-errors';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { formatDateTime } from '../../common/templates/date-format';
import { CLUSTER_CODES } from '../../config/cluster-codes';
import { CompaniesService } from '../../directory/companies/companies.service';
import { DirectoryService } from '../../directory/directory.service';
import { SigsService } from '../../directory/sigs/sigs.service';
import { clusterCodes } from '../../events/dto/event.view';
import { EventsService } from '../../events/events.service';
import { reportScopeOf } from '../../reports/reports.reader';
import { ReportsService } from '../../reports/reports.service';
import { ConsolePage } from '../console-access';
import { ConsolePages } from '../console-pages';
import { setFlash } from '../flash';
import { formFields, invalidFields, text } from '../form-input';

const ZONE = 'Asia/Seoul';

interface SeatForm {
  label: string;
  cluster: string;
  companyId: string;
  delegate: string;
  substitute: string;
}

const EMPTY_SEAT: SeatForm = { label: '', cluster: '', companyId: '', delegate: '', substitute: '' };

/**
 * 운영위원회 (standing bodies): the joint operating committee and SIG steering groups, their roster
 * of seats (a delegate and a substitute, found by their email), their meetings (a published event
 * that invites the delegates), minutes of a meeting that has begun, and attendance per seat this
 * year. The same use cases as `/api/bodies`, so a page and a script meet the same rules.
 */
@ApiExcludeController()
@ConsolePage()
@Controller('console/bodies')
export class BodiesPagesController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly bodies: BodiesRepository,
    private readonly records: BodyRecords,
    private readonly createBody: CreateBody,
    private readonly setSeat: SetSeat,
    private readonly holdMeeting: HoldMeeting,
    private readonly attachMinutes: AttachMinutes,
    private readonly directory: DirectoryService,
    private readonly companies: CompaniesService,
    private readonly sigs: SigsService,
    private readonly events: EventsService,
    private readonly reports: ReportsService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  @Get()
  async list(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.renderList(request, response, { name: '', kind: 'committee', sigId: '' }, {});
  }

  @Post()
  async create(@Req() request: Request, @Res() response: Response): Promise<void> {
    const fields = formFields(request.body);
    const form = { name: text(fields, 'name').trim(), kind: text(fields, 'kind'), sigId: text(fields, 'sigId') };
    const strings = this.pages.strings(request, response);
    const checked = await invalidFields(CreateBodyDto, { name: form.name, kind: form.kind, ...(form.sigId ? { sigId: form.sigId } : {}) });
    if (checked.fields.size > 0) {
      const errors = Object.fromEntries([...checked.fields].map((field) => [field, strings.text(`console.bodies.errors.${field}`)]));
      return this.renderList(request, response, form, errors, 400);
    }
    try {
      const body = await this.createBody.execute(principalOf(request), checked.value);
      await this.audit.recordFor(request, 'body.create', `body ${body.id}`, { name: body.name, kind: body.kind });
      setFlash(response, 'bodyCreated', { name: body.name });
      response.redirect(303, `/console/bodies/${body.id}`);
    } catch (failure) {
      if (!(failure instanceof DomainError)) throw failure;
      const field = failure.code === 'conflict' ? 'name' : 'sigId';
      const key = failure.code === 'conflict' ? 'exists' : failure.code === 'forbidden' ? 'forbidden' : 'sigId';
      return this.renderList(request, response, form, { [field]: strings.text(`console.bodies.errors.${key}`) }, failure.code === 'forbidden' ? 403 : 400);
    }
  }

  @Get(':id')
  async body(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.renderBody(request, response, id, EMPTY_SEAT, {});
  }

  @Post(':id/seats')
  async addSeat(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const fields = formFields(request.body);
    const form: SeatForm = {
      label: text(fields, 'label').trim(),
      cluster: text(fields, 'cluster'),
      companyId: text(fields, 'companyId'),
      delegate: text(fields, 'delegate').trim(),
      substitute: text(fields, 'substitute').trim(),
    };
    const strings = this.pages.strings(request, response);
    const errors: Record<string, string> = {};
    // People are typed as their email, the way an office knows them; the roster stores the member.
    const memberId = async (field: 'delegate' | 'substitute'): Promise<string | undefined> => {
      if (form[field] === '') return undefined;
      const member = form[field].length <= 320 ? await this.directory.findByEmail(form[field]) : null;
      if (!member) errors[field] = strings.text('console.bodies.errors.unknownMember');
      return member?.id;
    };
    const delegateId = await memberId('delegate');
    const substituteId = await memberId('substitute');
    if (form.delegate === '') errors.delegate = strings.text('console.bodies.errors.delegate');
    const input = {
      label: form.label,
      ...(form.cluster ? { cluster: form.cluster } : {}),
      ...(form.companyId ? { companyId: form.companyId } : {}),
      delegateId: delegateId ?? '',
      ...(substituteId ? { substituteId } : {}),
    };
    const checked = await invalidFields(SeatDto, input);
    for (const field of checked.fields) {
      const named = field === 'delegateId' ? 'delegate' : field === 'substituteId' ? 'substitute' : field;
      errors[named] ??= strings.text(`console.bodies.errors.${named === 'cluster' || named === 'companyId' ? 'seatFor' : named}`);
    }
    if (Object.keys(errors).length > 0) return this.renderBody(request, response, id, form, errors, 400);
    try {
      await this.setSeat.execute(principalOf(request), id, null, checked.value);
      await this.audit.recordFor(request, 'body.seat', `body ${id}`, { label: form.label });
      setFlash(response, 'seatAdded', { label: form.label });
      response.redirect(303, `/console/bodies/${id}`);
    } catch (failure) {
      if (!(failure instanceof DomainError) || failure.code === 'not_found') throw failure;
      // The seat rules (the delegate of the seat's cluster or company, a free label, one of your clusters): said next to the form.
      const field =
        failure.code === 'conflict' ? 'label' : failure.field === 'substituteId' ? 'substitute' : failure.field === 'delegateId' ? 'delegate' : 'seatFor';
      return this.renderBody(
        request,
        response,
        id,
        form,
        { [field]: strings.text(`console.bodies.errors.${failure.code === 'conflict' ? 'labelTaken' : 'seatRules'}`) },
        400,
      );
    }
  }

  @Post(':id/meetings')
  async addMeeting(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const eventId = text(formFields(request.body), 'eventId');
    const checked = await invalidFields(AddMeetingDto, { eventId });
    if (checked.fields.size > 0)
      return this.renderBody(request, response, id, EMPTY_SEAT, { meeting: this.pages.strings(request, response).text('console.bodies.errors.meeting') }, 400);
    try {
      const queued = await this.holdMeeting.execute(principalOf(request), id, eventId);
      await this.audit.recordFor(request, 'invitations.send', `event ${eventId}`, { queued, body: id });
      setFlash(response, 'meetingAdded', { count: queued });
      response.redirect(303, `/console/bodies/${id}`);
    } catch (failure) {
      if (!(failure instanceof DomainError) || failure.code === 'not_found') throw failure;
      return this.renderBody(request, response, id, EMPTY_SEAT, { meeting: this.pages.strings(request, response).text('console.bodies.errors.meeting') }, 400);
    }
  }

  @Post(':id/meetings/:eventId/minutes')
  async minutes(
    @Param('id', UuidParam('id')) id: string,
    @Param('eventId', UuidParam('eventId')) eventId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const strings = this.pages.strings(request, response);
    const checked = await invalidFields(MinutesDto, { text: text(formFields(request.body), 'text') });
    const refused = (key: string) => {
      setFlash(response, 'minutesRefused', { reason: strings.text(`console.bodies.errors.${key}`) }, 'error');
      response.redirect(303, `/console/bodies/${id}#meeting-${eventId}`);
    };
    if (checked.fields.size > 0) return refused('minutes');
    try {
      await this.attachMinutes.execute(principalOf(request), id, eventId, checked.value);
      await this.audit.recordFor(request, 'body.minutes', `event ${eventId}`, { body: id, file: null });
      setFlash(response, 'minutesSaved');
      response.redirect(303, `/console/bodies/${id}#meeting-${eventId}`);
    } catch (failure) {
      if (!(failure instanceof DomainError) || failure.code === 'not_found') throw failure;
      refused(failure.code === 'conflict' ? 'notBegun' : 'minutes');
    }
  }

  private async renderList(
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

  private async renderBody(request: Request, response: Response, id: string, seat: SeatForm, errors: Record<string, string>, status = 200): Promise<void> {
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
