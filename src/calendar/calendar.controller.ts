import { BadRequestException, Controller, Get, Header, Param, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { UuidParam } from '../common/http/uuid-param.pipe';
import { isClusterCode, CLUSTER_CODES } from '../config/cluster-codes';
import { EventsService } from '../events/events.service';
import { SeriesService } from '../events/series/series.service';
import { CalendarService } from './calendar.service';
import { sendCalendar } from './feeds/calendar-response';
import { ApiOkText } from '../common/http/api-docs';

@ApiTags('calendar')
@Controller('api')
export class CalendarController {
  constructor(
    private readonly calendar: CalendarService,
    private readonly events: EventsService,
    private readonly seriesService: SeriesService,
  ) {}

  @Get('events/:id/calendar.ics')
  @ApiOkText('text/calendar', 'iCalendar (RFC 5545)')
  @ApiNotFoundResponse({ description: 'Unknown or unpublished event' })
  @ApiOperation({ summary: 'The published event as an iCalendar file', security: [] })
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="event.ics"')
  async event(@Param('id', UuidParam('id')) id: string): Promise<string> {
    const event = await this.events.get(id, { organizer: false });
    return this.calendar.forDownload([event]);
  }

  /** The cluster's public feed, for calendar subscriptions: ETag + 304, cacheable for five minutes. */
  @Get('clusters/:code/calendar.ics')
  @ApiOkText('text/calendar', 'iCalendar (RFC 5545)')
  @ApiBadRequestResponse({ description: 'code is not a cluster code' })
  @ApiOperation({ summary: "A cluster's public calendar feed", security: [] })
  async cluster(@Param('code') code: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    if (!isClusterCode(code)) throw new BadRequestException([`code must be one of ${CLUSTER_CODES.join(', ')}`]);
    const events = await this.events.feedOfCluster(code);
    const body = await this.calendar.forFeed(events, { name: `Seminar Hub · ${code}` });
    sendCalendar(request, response, body, { cacheControl: 'public, max-age=300' });
  }

  /**
   * A series as one recurring event: the master with its RRULE and an override (RECURRENCE-ID)
   * per moved, changed or cancelled occurrence. 404 until one occurrence is published.
   */
  @Get('series/:id/calendar.ics')
  @ApiOkText('text/calendar', 'iCalendar (RFC 5545)')
  @ApiNotFoundResponse({ description: 'Unknown series, or none of its occurrences published' })
  @ApiOperation({ summary: 'A series as one recurring event (iCalendar)', security: [] })
  async series(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { series, occurrences } = await this.seriesService.forFeed(id);
    const body = await this.calendar.forSeries(series, occurrences);
    sendCalendar(request, response, body, { cacheControl: 'public, max-age=300' });
  }
}
