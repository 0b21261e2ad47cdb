import { Body, Controller, Get, Param, Post, Put, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditLog } from '../auth/audit/audit-log.service';
import { OrganizerOnly } from '../auth/organizer-auth';
import { actsFor, principalOf } from '../auth/principal';
import { NotFoundError } from '../common/errors/domain-errors';
import { UuidParam } from '../common/http/uuid-param.pipe';
import { BodiesRepository } from './bodies.repository';
import { BodyRecord, BodyRecords } from './body-records';
import { mustSeeBody } from './body-rights';
import { AddMeetingDto, CreateBodyDto, MinutesDto, SeatDto } from './dto/body.dto';
import { BodyView, MeetingView, MinutesView } from './dto/body.view';
import { AttachMinutes } from './use-cases/attach-minutes';
import { CreateBody } from './use-cases/create-body';
import { HoldMeeting } from './use-cases/hold-meeting';
import { SetSeat } from './use-cases/set-seat';

function view({ clusters: _clusters, ...body }: BodyRecord): BodyView {
  return body;
}

@ApiTags('bodies')
@OrganizerOnly()
@ApiBadRequestResponse({ description: 'bad input: the message names the field and the reason' })
@Controller('api/bodies')
export class BodiesController {
  constructor(
    private readonly bodies: BodiesRepository,
    private readonly records: BodyRecords,
    private readonly createBody: CreateBody,
    private readonly setSeat: SetSeat,
    private readonly holdMeeting: HoldMeeting,
    private readonly attachMinutes: AttachMinutes,
    private readonly audit: AuditLog,
  ) {}

  @Post()
  @ApiOperation({ summary: "Set up a standing body: the joint operating committee (admins) or a SIG's steering group" })
  @ApiCreatedResponse({ type: BodyView })
  @ApiConflictResponse({ description: 'a body of that name exists' })
  @ApiForbiddenResponse({ description: 'the SIG spans none of your clusters, or a body of no SIG by a cluster organizer' })
  async create(@Body() dto: CreateBodyDto, @Req() request: Request): Promise<BodyView> {
    const body = await this.createBody.execute(principalOf(request), dto);
    await this.audit.recordFor(request, 'body.create', `body ${body.id}`, { name: body.name, kind: body.kind });
    return view(body);
  }

  @Get()
  @ApiOperation({ summary: 'The bodies you see: all for an admin, those involving your clusters (SIG or seats) for a cluster organizer' })
  @ApiOkResponse({ type: [BodyView] })
  async list(@Req() request: Request): Promise<BodyView[]> {
    const principal = principalOf(request);
    return (await this.records.read(null)).filter((body) => actsFor(principal, body.clusters)).map(view);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One body with its roster and meetings' })
  @ApiOkResponse({ type: BodyView })
  @ApiNotFoundResponse({ description: 'no such body' })
  @ApiForbiddenResponse({ description: 'the body involves none of your clusters' })
  async get(@Param('id', UuidParam('id')) id: string, @Req() request: Request): Promise<BodyView> {
    const [body] = await this.records.read([id]);
    if (!body) throw new NotFoundError('body');
    mustSeeBody(principalOf(request), body);
    return view(body);
  }

  @Post(':id/seats')
  @ApiOperation({ summary: 'Add a seat to the roster: for a cluster or a company, a delegate and an optional substitute' })
  @ApiCreatedResponse({ type: BodyView, description: 'the body with its roster' })
  @ApiConflictResponse({ description: 'the body has a seat of that label' })
  @ApiForbiddenResponse({ description: 'the seat is not for one of your clusters, or the body involves none of them' })
  @ApiNotFoundResponse({ description: 'no such body' })
  async addSeat(@Param('id', UuidParam('id')) id: string, @Body() dto: SeatDto, @Req() request: Request): Promise<BodyView> {
    const body = await this.setSeat.execute(principalOf(request), id, null, dto);
    await this.audit.recordFor(request, 'body.seat', `body ${id}`, { label: dto.label });
    return view(body);
  }

  @Put(':id/seats/:seatId')
  @ApiOperation({ summary: 'Replace a seat: its label, what it stands for, its delegate and substitute' })
  @ApiOkResponse({ type: BodyView, description: 'the body with its roster' })
  @ApiConflictResponse({ description: 'another seat has that label' })
  @ApiForbiddenResponse({ description: 'the seat is not for one of your clusters' })
  @ApiNotFoundResponse({ description: 'no such body or seat' })
  async replaceSeat(
    @Param('id', UuidParam('id')) id: string,
    @Param('seatId', UuidParam('seatId')) seatId: string,
    @Body() dto: SeatDto,
    @Req() request: Request,
  ): Promise<BodyView> {
    const body = await this.setSeat.execute(principalOf(request), id, seatId, dto);
    await this.audit.recordFor(request, 'body.seat', `body ${id}`, { seat: seatId, label: dto.label });
    return view(body);
  }

  @Post(':id/meetings')
  @ApiOperation({ summary: "Make a published event a meeting of the body and invite the roster's delegates (each once)" })
  @ApiCreatedResponse({ type: MeetingView })
  @ApiConflictResponse({ description: 'the event is not published, or is over' })
  @ApiForbiddenResponse({ description: 'the event is not hosted by one of your clusters, or the body involves none of them' })
  @ApiNotFoundResponse({ description: 'no such body' })
  async meeting(@Param('id', UuidParam('id')) id: string, @Body() dto: AddMeetingDto, @Req() request: Request): Promise<MeetingView> {
    const queued = await this.holdMeeting.execute(principalOf(request), id, dto.eventId);
    // Mail went out as for any invitation: the audit log says so, naming the body.
    await this.audit.recordFor(request, 'invitations.send', `event ${dto.eventId}`, { queued, body: id });
    return { bodyId: id, eventId: dto.eventId, queued };
  }

  @Post(':id/meetings/:eventId/minutes')
  @ApiOperation({ summary: 'Attach the minutes (text, optional file up to 512 KiB in base64) to a meeting that has begun; again replaces them' })
  @ApiCreatedResponse({ type: MinutesView })
  @ApiConflictResponse({ description: 'the meeting has not begun, or was cancelled' })
  @ApiPayloadTooLargeResponse({ description: 'the file is over 512 KiB' })
  @ApiNotFoundResponse({ description: 'no such body, or the event is not one of its meetings' })
  async attach(
    @Param('id', UuidParam('id')) id: string,
    @Param('eventId', UuidParam('eventId')) eventId: string,
    @Body() dto: MinutesDto,
    @Req() request: Request,
  ): Promise<MinutesView> {
    const minutes = await this.attachMinutes.execute(principalOf(request), id, eventId, dto);
    await this.audit.recordFor(request, 'body.minutes', `event ${eventId}`, { body: id, file: dto.file?.name ?? null });
    return minutes;
  }

  @Get(':id/meetings/:eventId/minutes')
  @ApiOperation({ summary: "A meeting's minutes" })
  @ApiOkResponse({ type: MinutesView })
  @ApiNotFoundResponse({ description: 'no such body, or no minutes for this meeting' })
  async minutes(@Param('id', UuidParam('id')) id: string, @Param('eventId', UuidParam('eventId')) eventId: string, @Req() request: Request) {
    await this.visible(id, request);
    const minutes = await this.bodies.minutes(id, eventId);
    if (!minutes) throw new NotFoundError('minutes', 'eventId');
    return minutes;
  }

  @Get(':id/meetings/:eventId/minutes/file')
  @ApiOperation({ summary: "The file attached to a meeting's minutes, as a download" })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'the file' })
  @ApiNotFoundResponse({ description: 'no such body, or no file with these minutes' })
  async minutesFile(
    @Param('id', UuidParam('id')) id: string,
    @Param('eventId', UuidParam('eventId')) eventId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.visible(id, request);
    const file = await this.bodies.minutesFileOf(id, eventId);
    if (!file) throw new NotFoundError('minutes file', 'eventId');
    sendDownload(response, file);
  }

  private async visible(id: string, request: Request): Promise<void> {
    const [body] = await this.records.read([id]);
    if (!body) throw new NotFoundError('body');
    mustSeeBody(principalOf(request), body);
  }
}

/** Always a download, never shown inline: an uploaded file must not run as a page of this site. */
export function sendDownload(response: Response, file: { name: string; type: string; content: Buffer }): void {
  response.setHeader('Content-Type', file.type);
  response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
  response.setHeader('Cache-Control', 'no-store');
  response.status(200).send(file.content);
}
