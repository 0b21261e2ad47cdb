import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { actsFor, principalOf } from '../auth/principal';
import { DirectoryService } from '../directory/directory.service';
import { clusterCodes } from '../events/dto/event.view';
import { SeminarEvent } from '../events/entities/event.entity';
import { eventViewModel } from '../events/event-view-model';
import { EventsService } from '../events/events.service';
import { ConsolePage } from './console-access';
import { ConsolePages } from './console-pages';

/** How many past events the dashboard lists, newest first. */
const PAST_SHOWN = 20;

/**
 * 대시보드: the events the organizer may act on, upcoming and past. A cluster organizer sees the
 * events one of their clusters hosts or co-hosts; an admin sees all.
 */
@ApiExcludeController()
@ConsolePage()
@Controller('console')
export class DashboardController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly events: EventsService,
    private readonly directory: DirectoryService,
  ) {}

  @Get()
  async dashboard(@Req() request: Request, @Res() response: Response): Promise<void> {
    const principal = principalOf(request);
    const locale = this.pages.locale(request, response);
    const strings = this.pages.strings(request, response);
    const names = await this.directory.clusterNames(locale);
    const mine = (await this.events.list({}, { organizer: true })).filter((event) => actsFor(principal, clusterCodes(event, 'host')));
    const now = Date.now();
    const row = (event: SeminarEvent) => ({
      ...eventViewModel(event, names, strings),
      statusLabel: strings.text(`console.status.${event.status}`),
      publicUrl: event.status === 'draft' ? null : `/events/${event.id}`,
    });
    const upcoming = mine.filter((event) => event.endsAt.getTime() >= now).map(row);
    const past = mine
      .filter((event) => event.endsAt.getTime() < now)
      .reverse()
      .slice(0, PAST_SHOWN)
      .map(row);
    this.pages.render(request, response, 'console-dashboard', { title: strings.text('console.nav.dashboard'), section: 'dashboard', upcoming, past });
  }
}
