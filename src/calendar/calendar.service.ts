import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DirectoryService } from '../directory/directory.service';
import { clusterCodes } from '../events/dto/event.view';
import { SeminarEvent } from '../events/entities/event.entity';
import { EventSeries } from '../events/series/event-series.entity';
import { SeriesService } from '../events/series/series.service';
import { agendaText } from '../events/agenda/agenda-view';
import { addToCalendarLinks, AddToCalendarLinks } from './add-to-calendar-links';
import { attendeeCalendars, buildCalendar, CalendarAttendee, CalendarEventInput, CalendarMethod } from './event-calendar';
import { DEFAULT_LOCALE, Locale } from '../common/templates/locales';

/** How often subscribed calendars are asked to refetch a feed (REFRESH-INTERVAL / X-PUBLISHED-TTL). */
export const FEED_REFRESH_SECONDS = 3600;

/**
 * Turns events into iCalendar text: iTIP messages for one attendee, and downloads/feeds.
 *
 * An occurrence of a series is, in every calendar object about it (the series feed, its own .ics,
 * each mail: invitation, confirmation, update, reminder, cancellation), an instance of the series:
 * the series' UID and RECURRENCE-ID = its original start in the series' zone (RFC 5545 §3.8.4.4,
 * RFC 5546 §2.1.5, where UID + RECURRENCE-ID is the key of an instance). A client that holds the
 * series from its feed and an invitation to one meeting then holds one meeting, and an update or
 * a METHOD:CANCEL of that meeting reaches the instance the feed gave it.
 *
 * SEQUENCE: an instance carries its occurrence's own sequence, in the feed's override, in its
 * .ics and in every mail alike. UpdateEvent and CancelEvent raise it by one for each change of
 * that occurrence attendees must see and for its cancellation, so each message about an instance is newer than
 * the one before, and a change to one occurrence leaves the other instances' numbers alone
 * (RFC 5545 §3.8.7.4: instances of a recurring component may have different sequence numbers).
 * The master carries the highest of them, so it is never below one of its instances. A number
 * taken from the series instead (the master's, or the highest of master and occurrence) would
 * not do: after another occurrence changed more often, an update of this one would go out with
 * the very SEQUENCE its invitation had. One-off events keep their own UID and sequence.
 */
@Injectable()
export class CalendarService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly directory: DirectoryService,
    private readonly series: SeriesService,
  ) {}

  /** An iTIP REQUEST (invite, confirm, update) or CANCEL for one attendee, as mailed. */
  async forAttendee(event: SeminarEvent, attendee: CalendarAttendee, method: Extract<CalendarMethod, 'REQUEST' | 'CANCEL'>, locale: Locale) {
    return (await this.forAttendees(event, locale))(attendee, method);
  }

  /**
   * forAttendee() for many attendees of one event: what the event gives (its organizer, its series)
   * is looked up once, and the returned function builds each attendee's message with no I/O.
   */
  async forAttendees(
    event: SeminarEvent,
    locale: Locale,
  ): Promise<(attendee: CalendarAttendee, method: Extract<CalendarMethod, 'REQUEST' | 'CANCEL'>) => string> {
    const input = await this.instanceInput(event, locale);
    const builders = { REQUEST: attendeeCalendars(input, 'REQUEST'), CANCEL: attendeeCalendars(input, 'CANCEL') };
    return (attendee, method) => builders[method](attendee);
  }

  /** A download of published (and cancelled) events, METHOD:PUBLISH: an occurrence as an instance of its series. */
  async forDownload(events: SeminarEvent[], name?: string): Promise<string> {
    const inputs = await Promise.all(events.map((event) => this.instanceInput(event, DEFAULT_LOCALE)));
    return buildCalendar(inputs, { method: 'PUBLISH', name });
  }

  /**
   * A subscribed feed (cluster or member): METHOD:PUBLISH, the calendar's name, a one-hour refresh
   * hint; cancelled events stay in it as STATUS:CANCELLED so clients remove them.
   *
   * Occurrences of a series are written as the series feed writes them, not each under a UID of
   * its own: the master with every occurrence this feed leaves out as an EXDATE, and an override
   * for those of its occurrences that differ from the rule. So the feed names each meeting as its
   * mail does, and a client that does not show an override without its master (ICSx5, khal) still
   * shows them. The master stands where the first of its occurrences in the list would.
   */
  async forFeed(events: SeminarEvent[], options: { name: string; locale?: Locale }): Promise<string> {
    const locale = options.locale ?? DEFAULT_LOCALE;
    // Once for the whole feed, not once per event: a cluster's feed holds a thousand events.
    const names = await this.directory.clusterNames(locale);
    const seriesIds = new Set<string>();
    const parts = events.map(async (event): Promise<CalendarEventInput[]> => {
      if (event.seriesId === null) return [{ ...this.calendarFields(event), organizer: this.organizerNamed(event, names) }];
      if (seriesIds.has(event.seriesId)) return [];
      seriesIds.add(event.seriesId);
      const inFeed = new Set(events.filter((other) => other.seriesId === event.seriesId).map((other) => other.id));
      // Every occurrence, drafts too: those this feed leaves out become EXDATEs.
      const { series, occurrences } = await this.series.get(event.seriesId, { organizer: true });
      return this.seriesInputs(series, occurrences, (occurrence) => inFeed.has(occurrence.id), locale);
    });
    const inputs = (await Promise.all(parts)).flat();
    return buildCalendar(inputs, { method: 'PUBLISH', name: options.name, refreshIntervalSeconds: FEED_REFRESH_SECONDS });
  }

  /**
   * The feed of one series (METHOD:PUBLISH): a master VEVENT with the series UID, DTSTART of its
   * first original start in the series zone and the RRULE; an override under the same UID and the
   * RECURRENCE-ID of the original start for each occurrence that was moved, changed or cancelled
   * (RFC 5545 §3.8.4.4); an EXDATE for each occurrence never published. The master's SEQUENCE is
   * the highest of its occurrences', its DTSTAMP the last change, so the same state gives the same bytes.
   */
  async forSeries(series: EventSeries, occurrences: SeminarEvent[]): Promise<string> {
    const inputs = await this.seriesInputs(series, occurrences, (event) => event.publishedAt !== null, DEFAULT_LOCALE);
    return buildCalendar(inputs, { method: 'PUBLISH', name: series.title, refreshIntervalSeconds: FEED_REFRESH_SECONDS });
  }

  /** The master and overrides of a series as a calendar holding the occurrences `shown` picks (see forSeries). */
  private async seriesInputs(
    series: EventSeries,
    occurrences: SeminarEvent[],
    shown: (occurrence: SeminarEvent) => boolean,
    locale: Locale,
  ): Promise<CalendarEventInput[]> {
    const held = occurrences.filter(shown);
    const template = held[0] ?? occurrences[0];
    const duration = series.firstEndsAt.getTime() - series.firstStartsAt.getTime();
    const lastChange = new Date(Math.max(series.updatedAt.getTime(), ...occurrences.map((event) => event.updatedAt.getTime())));
    const master: CalendarEventInput = {
      uid: series.uid,
      sequence: Math.max(0, ...occurrences.map((event) => event.sequence)),
      title: series.title,
      description: series.description,
      startsAt: series.firstStartsAt,
      endsAt: series.firstEndsAt,
      timezone: series.timezone,
      venue: series.venue,
      onlineUrl: series.onlineUrl,
      status: 'published',
      pageUrl: `${this.config.publicUrl}/events`,
      organizer: await this.organizer(template, locale),
      updatedAt: lastChange,
      recurrence: { rrule: series.rrule, exclude: occurrences.filter((event) => !shown(event)).map((event) => event.recurrenceId!) },
    };
    const overrides = await Promise.all(
      held.filter((event) => differsFromSeries(event, series, duration)).map(async (event) => asInstance(await this.input(event, locale), event, series)),
    );
    return [master, ...overrides];
  }

  /**
   * "Add to Google Calendar" and "Add to Outlook" links for the event page and for mail (the mail
   * composer can call this too): absolute, pure, parameters percent-encoded.
   */
  addToCalendarLinks(event: SeminarEvent): AddToCalendarLinks {
    return addToCalendarLinks(this.calendarFields(event));
  }

  /** The cluster office that organizes an event: its first host, in the fixed cluster order. */
  async organizer(event: SeminarEvent, locale: Locale): Promise<{ name: string; email: string }> {
    return this.organizerNamed(event, await this.directory.clusterNames(locale));
  }

  private organizerNamed(event: SeminarEvent, clusterNames: Map<string, string>): { name: string; email: string } {
    const host = clusterCodes(event, 'host')[0];
    return { name: clusterNames.get(host) ?? host, email: this.directory.officeEmail(host) };
  }

  eventPageUrl(event: { id: string }): string {
    return `${this.config.publicUrl}/events/${event.id}`;
  }

  calendarUrl(event: { id: string }): string {
    return `${this.config.publicUrl}/api/events/${event.id}/calendar.ics`;
  }

  private async input(event: SeminarEvent, locale: Locale): Promise<CalendarEventInput> {
    return { ...this.calendarFields(event), organizer: await this.organizer(event, locale) };
  }

  /** An event on its own (mail, download): a one-off event as itself, an occurrence as an instance of its series. */
  private async instanceInput(event: SeminarEvent, locale: Locale): Promise<CalendarEventInput> {
    const input = await this.input(event, locale);
    return event.seriesId === null ? input : asInstance(input, event, await this.series.find(event.seriesId));
  }

  /** Everything the builder takes from the event itself (the organizer needs the directory). */
  private calendarFields(event: SeminarEvent): Omit<CalendarEventInput, 'organizer'> {
    return {
      uid: event.uid,
      sequence: event.sequence,
      title: event.title,
      description: withAgenda(event),
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      timezone: event.timezone,
      venue: event.venue,
      onlineUrl: event.onlineUrl,
      status: event.status,
      pageUrl: this.eventPageUrl(event),
      updatedAt: event.updatedAt,
    };
  }
}

/**
 * An occurrence as an instance of its series (see CalendarService): the series' UID, RECURRENCE-ID
 * its original start, its own SEQUENCE. It keeps the master's zone: clients match RECURRENCE-ID
 * to the instances the master's DTSTART;TZID gives, and the feed's override and each mail must
 * write the same RECURRENCE-ID.
 */
function asInstance(input: CalendarEventInput, event: SeminarEvent, series: Pick<EventSeries, 'uid' | 'timezone'>): CalendarEventInput {
  return { ...input, uid: series.uid, timezone: series.timezone, recurrenceId: event.recurrenceId! };
}

/** Whether an occurrence is no longer the instance its series' rule gives: moved, changed or cancelled. */
function differsFromSeries(event: SeminarEvent, series: EventSeries, duration: number): boolean {
  return (
    event.status === 'cancelled' ||
    event.startsAt.getTime() !== event.recurrenceId!.getTime() ||
    event.endsAt.getTime() - event.startsAt.getTime() !== duration ||
    event.timezone !== series.timezone ||
    event.title !== series.title ||
    event.description !== series.description ||
    event.venue !== series.venue ||
    event.onlineUrl !== series.onlineUrl
  );
}

/** The event's description with its programme after it (RFC 5545 DESCRIPTION is the one free-text place a calendar shows). */
function withAgenda(event: SeminarEvent): string | null {
  const programme = agendaText(event.agenda ?? [], event.timezone);
  if (!programme) return event.description;
  return event.description ? `${event.description}\n\n${programme}` : programme;
}
