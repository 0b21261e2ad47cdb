import { BadRequestException, Controller, Get, Header, Param } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../common/http/uuid-param.pipe';
import { isClusterCode, CLUSTER_CODES } from '../directory/cluster-codes';
import { EventsService } from '../events/events.service';
import { CalendarService } from './calendar.service';

@ApiTags('calendar')
@Controller('api')
export class CalendarController {
  constructor(
    private readonly calendar: CalendarService,
    private readonly events: EventsService,
  ) {}

  @Get('events/:id/calendar.ics')
  @ApiProduces('text/calendar')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="event.ics"')
  async event(@Param('id', UuidParam('id')) id: string): Promise<string> {
    const event = await this.events.get(id, { organizer: false });
    return this.calendar.forDownload([event]);
  }

  @Get('clusters/:code/calendar.ics')
  @ApiProduces('text/calendar')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  async cluster(@Param('code') code: string): Promise<string> {
    if (!isClusterCode(code)) throw new BadRequestException([`code must be one of ${CLUSTER_CODES.join(', ')}`]);
    const events = await this.events.feedOfCluster(code);
    return this.calendar.forDownload(events, `Seminar Hub · ${code}`);
  }
}
