import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { NotFoundError } from '../../common/errors/domain-errors';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DirectoryService } from '../../directory/directory.service';
import { EventsService } from '../../events/events.service';
import { hashToken } from '../../link-tokens/link-tokens.service';
import { CalendarService } from '../../calendar/calendar.service';
import { RegistrationsRepository } from '../registrations.repository';
import { MemberFeed } from './member-feed.entity';

export interface MemberFeedUrls {
  /** https://…/feeds/<token>.ics */
  url: string;
  /** The same URL with the webcal: scheme, which calendar apps open as a subscription. */
  webcalUrl: string;
}

/** 256 random bits, base64url: the only form of a feed token the lookup even tries. */
const FEED_TOKEN = /^[A-Za-z0-9_-]{43}$/;

const FEED_NAMES = { ko: 'Seminar Hub · 내 행사', en: 'Seminar Hub · My events' } as const;

/**
 * Personal calendar feeds: a secret, revocable URL per member that lists every event they hold a
 * confirmed seat for (cancelled events stay, as STATUS:CANCELLED, so subscribed calendars drop them).
 * Here rather than in calendar/ because it reads registrations: the calendar module sits below
 * registrations (which use it for the event pages) and builds the iCalendar text it is given.
 */
@Injectable()
export class MemberFeedsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(MemberFeed) private readonly feeds: Repository<MemberFeed>,
    private readonly directory: DirectoryService,
    private readonly events: EventsService,
    private readonly registrations: RegistrationsRepository,
    private readonly calendar: CalendarService,
  ) {}

  /** Makes a new feed URL for the member; the previous one (if any) stops working. */
  async create(memberId: string): Promise<MemberFeedUrls> {
    await this.directory.getMember(memberId);
    const raw = randomBytes(32).toString('base64url');
    await this.feeds.upsert({ memberId, tokenHash: hashToken(raw), createdAt: new Date(), revokedAt: null }, ['memberId']);
    return this.urls(raw);
  }

  /** Revokes the member's feed URL; revoking twice, or with no feed, changes nothing. */
  async revoke(memberId: string): Promise<void> {
    await this.directory.getMember(memberId);
    await this.feeds.update({ memberId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /**
   * The feed behind a raw token, as iCalendar text. An unknown, malformed, replaced or revoked
   * token gets the same NotFoundError, so the answer tells nothing about which it was.
   */
  async render(raw: string): Promise<string> {
    const feed = FEED_TOKEN.test(raw) ? await this.feeds.findOne({ where: { tokenHash: hashToken(raw), revokedAt: IsNull() } }) : null;
    if (!feed) throw new NotFoundError('feed');
    // The member may be gone (the same 404 as a bad token); any other error is a real one.
    const member = await this.directory.getMember(feed.memberId).catch((error: unknown) => {
      throw error instanceof NotFoundError ? new NotFoundError('feed') : error;
    });
    const events = await this.events.feedOfEvents(await this.registrations.confirmedEventIds(member));
    return this.calendar.forFeed(events, { name: FEED_NAMES[member.locale] ?? FEED_NAMES.ko, locale: member.locale });
  }

  private urls(raw: string): MemberFeedUrls {
    const url = `${this.config.publicUrl}/feeds/${raw}.ics`;
    return { url, webcalUrl: url.replace(/^https?:/, 'webcal:') };
  }
}
