import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { decodeEventCursor, encodeEventCursor } from './dto/event-cursor';
import { AuditLog } from '../auth/audit/audit-log.service';
import { OrganizerAuth, OrganizerOnly } from '../auth/organizer-auth';
import { principalOf } from '../auth/principal';
import { DecideApprovalDto } from './approvals/approval.dto';
import { DecideApproval } from './approvals/decide-approval';
import { EventApprovalsRepository } from './approvals/event-approvals.repository';
import { EventScoped } from './event-scope.guard';
import { UuidParam } from '../common/http/uuid-param.pipe';
import { CancelEventDto } from './dto/cancel-event.dto';
import { CreateEventDto } from './dto/create-event.dto';
import { EventView } from './dto/event.view';
import { ListEventsQuery } from './dto/list-events.query';
import { UpdateEventDto } from './dto/update-event.dto';
import { EventsService } from './events.service';
import { CancelEvent } from './use-cases/cancel-event';
import { CreateEvent } from './use-cases/create-event';
import { PublishEvent } from './use-cases/publish-event';
import { UpdateEvent } from './use-cases/update-event';

@ApiTags('events')
@Controller('api/events')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly auth: OrganizerAuth,
    private readonly createEvent: CreateEvent,
    private readonly updateEvent: UpdateEvent,
    private readonly publishEvent: PublishEvent,
    private readonly cancelEvent: CancelEvent,
    private readonly decideApproval: DecideApproval,
    private readonly approvals: EventApprovalsRepository,
    private readonly audit: AuditLog,
  ) {}

  @Post()
  @OrganizerOnly()
  async create(@Body() dto: CreateEventDto, @Req() request: Request): Promise<EventView> {
    const event = await this.createEvent.execute(dto, principalOf(request));
    await this.audit.recordFor(request, 'event.create', `event ${event.id} (${event.title})`);
    return EventView.of(event, await this.approvals.list(event.id));
  }

  @Patch(':id')
  @OrganizerOnly()
  @EventScoped()
  async update(@Param('id', UuidParam('id')) id: string, @Body() dto: UpdateEventDto, @Req() request: Request): Promise<EventView> {
    const { event, changed } = await this.updateEvent.execute(id, dto, principalOf(request));
    await this.audit.recordFor(request, 'event.change', `event ${id}`, { changed });
    return EventView.of(event, await this.approvals.list(id));
  }

  @Post(':id/publish')
  @HttpCode(200)
  @OrganizerOnly()
  @EventScoped()
  async publish(@Param('id', UuidParam('id')) id: string, @Req() request: Request): Promise<EventView> {
    const event = await this.publishEvent.execute(id);
    await this.audit.recordFor(request, 'event.publish', `event ${id}`);
    return EventView.of(event, await this.approvals.list(id));
  }

  /** A co-host's organizer approves the event, or declines it with a reason; publishing waits for every co-host. */
  @Post(':id/approvals')
  @HttpCode(200)
  @OrganizerOnly()
  @EventScoped()
  async approve(@Param('id', UuidParam('id')) id: string, @Body() dto: DecideApprovalDto, @Req() request: Request): Promise<EventView> {
    const { event, approvals } = await this.decideApproval.execute(id, dto, principalOf(request)!);
    await this.audit.recordFor(request, dto.decision === 'approve' ? 'event.approve' : 'event.decline', `event ${id} for ${dto.cluster}`, {
      reason: dto.reason,
    });
    return EventView.of(event, approvals);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @OrganizerOnly()
  @EventScoped()
  async cancel(@Param('id', UuidParam('id')) id: string, @Body() dto: CancelEventDto, @Req() request: Request): Promise<EventView> {
    const event = await this.cancelEvent.execute(id, dto.reason);
    await this.audit.recordFor(request, 'event.cancel', `event ${id}`, { reason: dto.reason });
    return EventView.of(event);
  }

  @Get()
  @ApiOperation({
    summary: 'List events',
    description:
      'Published events (organizers also see drafts), by start then id. With `limit`, one page: the next page is at the URL of the `Link` header (rel="next"), its cursor in `X-Next-Cursor`; no such header on the last page.',
  })
  @ApiOkResponse({
    type: [EventView],
    headers: {
      Link: { description: '`<…/api/events?…&after=…>; rel="next"` when `limit` cut the list', schema: { type: 'string' } },
      'X-Next-Cursor': { description: 'the `after` value of the next page', schema: { type: 'string' } },
    },
  })
  async list(@Query() query: ListEventsQuery, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<EventView[]> {
    const after = query.after === undefined ? undefined : decodeEventCursor(query.after);
    const { events, next } = await this.events.page(query, { organizer: this.auth.isOrganizer(request) }, { limit: query.limit, after });
    if (next) {
      const cursor = encodeEventCursor(next);
      const url = new URL(request.originalUrl, 'http://x');
      url.searchParams.set('after', cursor);
      response.setHeader('X-Next-Cursor', cursor);
      response.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
    }
    return events.map((event) => EventView.of(event));
  }

  @Get(':id')
  async get(@Param('id', UuidParam('id')) id: string, @Req() request: Request): Promise<EventView> {
    const organizer = this.auth.isOrganizer(request);
    const event = await this.events.get(id, { organizer });
    return EventView.of(event, organizer ? await this.approvals.list(id) : undefined);
  }
}
