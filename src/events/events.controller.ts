import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { OrganizerAuth, OrganizerOnly } from '../auth/organizer-auth';
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
  ) {}

  @Post()
  @OrganizerOnly()
  async create(@Body() dto: CreateEventDto): Promise<EventView> {
    return EventView.of(await this.createEvent.execute(dto));
  }

  @Patch(':id')
  @OrganizerOnly()
  async update(@Param('id', UuidParam('id')) id: string, @Body() dto: UpdateEventDto): Promise<EventView> {
    return EventView.of((await this.updateEvent.execute(id, dto)).event);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @OrganizerOnly()
  async publish(@Param('id', UuidParam('id')) id: string): Promise<EventView> {
    return EventView.of(await this.publishEvent.execute(id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @OrganizerOnly()
  async cancel(@Param('id', UuidParam('id')) id: string, @Body() dto: CancelEventDto): Promise<EventView> {
    return EventView.of(await this.cancelEvent.execute(id, dto.reason));
  }

  @Get()
  @ApiOkResponse({ type: [EventView] })
  async list(@Query() query: ListEventsQuery, @Req() request: Request): Promise<EventView[]> {
    const events = await this.events.list(query, { organizer: this.auth.isOrganizer(request) });
    return events.map((event) => EventView.of(event));
  }

  @Get(':id')
  async get(@Param('id', UuidParam('id')) id: string, @Req() request: Request): Promise<EventView> {
    return EventView.of(await this.events.get(id, { organizer: this.auth.isOrganizer(request) }));
  }
}
