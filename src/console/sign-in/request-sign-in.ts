import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { OrganizersService } from '../../auth/organizers/organizers.service';
import type { Locale } from '../../common/templates/locales';
import { LinkTokensService } from '../../link-tokens/link-tokens.service';
import { SIGN_IN_LINK_MINUTES } from '../../notifications/mail/sign-in-mail';
import { OutboxService } from '../../notifications/outbox/outbox.service';

/** At most one sign-in mail per organizer in this window: a form sent again and again mails once. */
const ONE_MAIL_PER_MS = 60_000;

/**
 * Someone asks for a sign-in link. Only an active organizer gets one: in one transaction, the
 * `sign_in` mail (outbox) and the hash of the link in it (link_tokens, derived from the row's
 * message key, 30 minutes, single use). Whoever asks, the caller answers the same page, so the
 * form tells nobody which addresses are organizers. The mail is in the language of the page the
 * person asked from: organizers have no language of their own, and whoever asks reads that one.
 */
@Injectable()
export class RequestSignIn {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organizers: OrganizersService,
    private readonly outbox: OutboxService,
    private readonly tokens: LinkTokensService,
  ) {}

  /** Returns whether a mail was queued (for logs and tests only: never shown to the person). */
  async execute(email: string, locale: Locale, now: Date = new Date()): Promise<boolean> {
    if (email.length === 0 || email.length > 320) return false;
    const organizer = await this.organizers.byEmail(email);
    if (!organizer || organizer.disabledAt) return false;
    await this.organizers.rememberLocale(organizer.id, locale);
    return this.dataSource.transaction(async (manager) => {
      const messageKey = randomUUID();
      const queued = await this.outbox.queue(manager, [
        {
          kind: 'sign_in',
          dedupeKey: `sign_in:${organizer.id}:${Math.floor(now.getTime() / ONE_MAIL_PER_MS)}`,
          eventId: null,
          recipient: organizer.email,
          recipientName: organizer.name,
          locale,
          messageKey,
        },
      ]);
      if (queued === 0) return false;
      await this.tokens.mintShortLived(messageKey, 'sign_in', { email: organizer.email, minutes: SIGN_IN_LINK_MINUTES }, manager);
      return true;
    });
  }
}
