import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditLog } from '../../auth/audit/audit-log.service';
import { principalOf } from '../../auth/principal';
import { AddMeetingDto, CreateBodyDto, MinutesDto, SeatDto } from '../../bodies/dto/body.dto';
import { AttachMinutes } from '../../bodies/use-cases/attach-minutes';
import { CreateBody } from '../../bodies/use-cases/create-body';
import { HoldMeeting } from '../../bodies/use-cases/hold-meeting';
import { SetSeat } from '../../bodies/use-cases/set-seat';
import { DomainError } from '../../common/errors/domain-errors';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { DirectoryService } from '../../directory/directory.service';
import { ConsolePage } from '../console-access';
import { ConsolePages } from '../console-pages';
import { setFlash } from '../flash';
import { formFields, invalidFields, text } from '../form-input';
import { BodyPageViews, EMPTY_SEAT, SeatForm } from './body-page-views';

/**
 * 운영위원회 (standing bodies): the joint operating committee and SIG steering groups, their roster
 * of seats (a delegate and a substitute, found by their email), their meetings (a published event
 * that invites the delegates), minutes of a meeting that has begun, and attendance per seat this
 * year. The same use cases as `/api/bodies`, so a page and a script meet the same rules. This
 * class reads the forms and runs the use cases; BodyPageViews draws the pages.
 */
@ApiExcludeController()
@ConsolePage()
@Controller('console/bodies')
export class BodiesPagesController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly views: BodyPageViews,
    private readonly createBody: CreateBody,
    private readonly setSeat: SetSeat,
    private readonly holdMeeting: HoldMeeting,
    private readonly attachMinutes: AttachMinutes,
    private readonly directory: DirectoryService,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  async list(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.views.renderList(request, response, { name: '', kind: 'committee', sigId: '' }, {});
  }

  @Post()
  async create(@Req() request: Request, @Res() response: Response): Promise<void> {
    const fields = formFields(request.body);
    const form = { name: text(fields, 'name').trim(), kind: text(fields, 'kind'), sigId: text(fields, 'sigId') };
    const strings = this.pages.strings(request, response);
    const checked = await invalidFields(CreateBodyDto, { name: form.name, kind: form.kind, ...(form.sigId ? { sigId: form.sigId } : {}) });
    if (checked.fields.size > 0) {
      const errors = Object.fromEntries([...checked.fields].map((field) => [field, strings.text(`console.bodies.errors.${field}`)]));
      return this.views.renderList(request, response, form, errors, 400);
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
      return this.views.renderList(
        request,
        response,
        form,
        { [field]: strings.text(`console.bodies.errors.${key}`) },
        failure.code === 'forbidden' ? 403 : 400,
      );
    }
  }

  @Get(':id')
  async body(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.views.renderBody(request, response, id, EMPTY_SEAT, {});
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
    if (Object.keys(errors).length > 0) return this.views.renderBody(request, response, id, form, errors, 400);
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
      return this.views.renderBody(
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
    // One answer for a malformed id and an event the body cannot meet at: said next to the picker.
    const refused = () =>
      this.views.renderBody(request, response, id, EMPTY_SEAT, { meeting: this.pages.strings(request, response).text('console.bodies.errors.meeting') }, 400);
    if (checked.fields.size > 0) return refused();
    try {
      const queued = await this.holdMeeting.execute(principalOf(request), id, eventId);
      await this.audit.recordFor(request, 'invitations.send', `event ${eventId}`, { queued, body: id });
      setFlash(response, 'meetingAdded', { count: queued });
      response.redirect(303, `/console/bodies/${id}`);
    } catch (failure) {
      if (!(failure instanceof DomainError) || failure.code === 'not_found') throw failure;
      return refused();
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
}
