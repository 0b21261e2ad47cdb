import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { OrganizerAuth, OrganizerOnly } from '../../auth/organizer-auth';
import { principalOf } from '../../auth/principal';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { CreateSeriesDto } from './dto/create-series.dto';
import { SeriesView } from './dto/series.view';
import { SeriesService } from './series.service';

/** Recurring events. Each occurrence is then an ordinary event under /api/events/:id. */
@ApiTags('series')
@Controller('api/series')
export class SeriesController {
  constructor(
    private readonly series: SeriesService,
    private readonly auth: OrganizerAuth,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a series of events from a recurrence rule' })
  @OrganizerOnly()
  @ApiCreatedResponse({ type: SeriesView, description: 'The series and its occurrences, each a draft event' })
  @ApiForbiddenResponse({ description: "A cluster organizer's series names a host outside their clusters (a co-hosted series is made by an admin)" })
  async create(@Body() dto: CreateSeriesDto, @Req() request: Request): Promise<SeriesView> {
    const { series, occurrences } = await this.series.create(dto, principalOf(request));
    return SeriesView.of(series, occurrences);
  }

  @Post(':id/publish')
  @ApiOperation({ summary: 'Publish every draft occurrence of a series' })
  @HttpCode(200)
  @OrganizerOnly()
  @ApiOkResponse({ type: SeriesView, description: 'Every draft occurrence is published; cancelled ones stay cancelled' })
  @ApiNotFoundResponse({ description: 'Unknown series' })
  @ApiForbiddenResponse({ description: 'The series is not hosted by one of your clusters' })
  async publish(@Param('id', UuidParam('id')) id: string, @Req() request: Request): Promise<SeriesView> {
    const { series, occurrences } = await this.series.publish(id, principalOf(request));
    return SeriesView.of(series, occurrences);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A series with its occurrences', security: [] })
  @ApiOkResponse({ type: SeriesView })
  @ApiNotFoundResponse({ description: 'Unknown series, or (for anyone but organizers) none of its occurrences published yet' })
  async get(@Param('id', UuidParam('id')) id: string, @Req() request: Request): Promise<SeriesView> {
    const { series, occurrences } = await this.series.get(id, { organizer: this.auth.isOrganizer(request) });
    return SeriesView.of(series, occurrences);
  }
}
