import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DirectoryService } from '../directory/directory.service';
import { clusterCodes } from '../events/dto/event.view';
import { SeminarEvent } from '../events/entities/event.entity';
import { addToCalendarLinks, AddToCalendarLinks } from './add-to-calendar-links';
import { buildCalendar, CalendarAttendee, CalendarEventInput, CalendarMethod } from './event-calendar';

/** How often subscribed calendars are asked to refetch a feed (REFRESH-INTERVAL / X-PUBLISHED-TTL). */
export const FEED_REFRESH_SECONDS = 3600;

/** Turns events into iCalendar text: iTIP messages for one attendee, and downloads/feeds. */
@Injectable()
export class CalendarService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly directory: DirectoryService,
  ) {}

  /** An iTIP REQUEST (invite, confirm, update) or CANCEL for one attendee, as mailed. */
  async forAttendee(event: SeminarEvent, attendee: CalendarAttendee, method: Extract<CalendarMethod, 'REQUEST' | 'CANCEL'>, locale: 'ko' | 'en') {
    return buildCalendar([await this.input(event, locale)], { method, attendee });
  }

  /** A download or feed of published (and cancelled) events, METHOD:PUBLISH. */
  async forDownload(events: SeminarEvent[], name?: string): Promise<string> {
    const inputs = await Promise.all(events.map((event) => this.input(event, 'ko')));
    return buildCalendar(inputs, { method: 'PUBLISH', name });
  }

  /**
   * A subscribed feed (cluster or member): METHOD:PUBLISH, the calendar's name, a one-hour refresh
   * hint; cancelled events stay in it as STATUS:CANCELLED so clients remove them.
   */
  async forFeed(events: SeminarEvent[], options: { name: string; locale?: 'ko' | 'en' }): Promise<string> {
    const inputs = await Promise.all(events.map((event) => this.input(event, options.locale ?? 'ko')));
    return buildCalendar(inputs, { method: 'PUBLISH', name: options.name, refreshIntervalSeconds: FEED_REFRESH_SECONDS });
  }

  /**
   * "Add to Google Calendar" and "Add to Outlook" links for the event page and for mail (the mail
   * composer can call this too): absolute, pure, parameters percent-encoded.
   */
  addToCalendarLinks(event: SeminarEvent): AddToCalendarLinks {
    return addToCalendarLinks({
      title: event.title,
      description: event.description,
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      timezone: event.timezone,
      venue: event.venue,
      onlineUrl: event.onlineUrl,
      pageUrl: this.eventPageUrl(event),
    });
  }

  /** The cluster office that organizes an event: its first host, in the fixed cluster order. */
  async organizer(event: SeminarEvent, locale: 'ko' | 'en'): Promise<{ name: string; email: string }> {
    const host = clusterCodes(event, 'host')[0];
    const names = await this.directory.clusterNames(locale);
    return { name: names.get(host) ?? host, email: this.directory.officeEmail(host) };
  }

  eventPageUrl(event: { id: string }): string {
    return `${this.config.publicUrl}/events/${event.id}`;
  }

  calendarUrl(event: { id: string }): string {
    return `${this.config.publicUrl}/api/events/${event.id}/calendar.ics`;
  }

  private async input(event: SeminarEvent, locale: 'ko' | 'en'): Promise<CalendarEventInput> {
    return {
      uid: event.uid,
      sequence: event.sequence,
      title: event.title,
      description: event.description,
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      timezone: event.timezone,
      venue: event.venue,
      onlineUrl: event.onlineUrl,
      status: event.status,
      pageUrl: this.eventPageUrl(event),
      organizer: await this.organizer(event, locale),
      updatedAt: event.updatedAt,
    };
  }
}
