import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { principalOf } from '../../auth/principal';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors/domain-errors';
import { DirectoryService } from '../../directory/directory.service';
import { decodeEventCursor, encodeEventCursor, EventCursor } from '../../events/dto/event-cursor';
import { EventStatus } from '../../events/entities/event.entity';
import { eventViewModel } from '../../events/event-view-model';
import { EventsService } from '../../events/events.service';
import { ConsolePage } from '../console-access';
import { ConsolePages } from '../console-pages';

const PAGE_SIZE = 20;
const PERIODS = ['upcoming', 'past'] as const;
const STATUSES: EventStatus[] = ['draft', 'published', 'cancelled'];

/**
 * 행사: the events the organizer may act on (a cluster organizer's clusters host or co-host them;
 * an admin's: all), upcoming soonest first or past latest first, by status, a page at a time
 * (keyset: the `after` cursor of the last row, so paging stays stable while events are added).
 */
@ApiExcludeController()
@ConsolePage()
@Controller('console/events')
export class EventsPageController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly events: EventsService,
    private readonly directory: DirectoryService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async list(@Req() request: Request, @Res() response: Response): Promise<void> {
    const principal = principalOf(request)!;
    const locale = this.pages.locale(request, response);
    const strings = this.pages.strings(request, response);
    const query = request.query as Record<string, unknown>;
    const period = PERIODS.find((value) => value === query.period) ?? 'upcoming';
    const status = STATUSES.find((value) => value === query.status);
    let after: EventCursor | undefined;
    try {
      after = typeof query.after === 'string' && query.after !== '' ? decodeEventCursor(query.after) : undefined;
    } catch (failure) {
      if (!(failure instanceof DomainError)) throw failure;
      after = undefined;
    }
    const { events, next } = await this.events.page(
      {},
      { organizer: true },
      {
        hostedBy: principal.role === 'admin' ? undefined : principal.clusters,
        status,
        period: { when: period, now: this.clock.now() },
        limit: PAGE_SIZE,
        after,
      },
    );
    const names = await this.directory.clusterNames(locale);
    const link = (cursor?: string) => {
      const search = new URLSearchParams({ period });
      if (status) search.set('status', status);
      if (cursor) search.set('after', cursor);
      return `/console/events?${search.toString()}`;
    };
    this.pages.render(request, response, 'console-events', {
      title: strings.text('console.nav.events'),
      section: 'events',
      periods: PERIODS.map((value) => ({ value, label: strings.text(`consoleEvents.list.${value}`), selected: value === period })),
      statuses: STATUSES.map((value) => ({ value, label: strings.text(`console.status.${value}`), selected: value === status })),
      events: events.map((event) => ({
        ...eventViewModel(event, names, strings),
        statusLabel: strings.text(`console.status.${event.status}`),
        url: `/console/events/${event.id}`,
      })),
      nextUrl: next ? link(encodeEventCursor(next)) : null,
      firstUrl: after ? link() : null,
    });
  }
}
