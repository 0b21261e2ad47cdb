import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DirectoryService } from '../../directory/directory.service';
import { LinkTokensService } from '../../link-tokens/link-tokens.service';
import { SuppressionsService } from '../suppressions/suppressions.service';
import type { Locale } from '../../common/templates/locales';

export type UnsubscribeOutcome = { state: 'invalid'; reason: 'unknown' | 'expired' } | { state: 'ready' | 'done'; email: string; locale: Locale | null };

/**
 * The unsubscribe link of invitations and reminders (`/u/:token`, also the List-Unsubscribe URL).
 * The token is bound to the address the mail went to; using it suppresses that address for
 * non-essential mail. It may be used any number of times (mail clients repeat one-click POSTs).
 */
@Injectable()
export class UnsubscribeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: LinkTokensService,
    private readonly suppressions: SuppressionsService,
    private readonly directory: DirectoryService,
  ) {}

  /** For GET: what the link would do. Reads only. */
  async preview(raw: string): Promise<UnsubscribeOutcome> {
    const checked = await this.check(raw);
    if ('state' in checked) return checked;
    const already = await this.suppressions.blocking(checked.email, 'invitation');
    return { state: already ? 'done' : 'ready', email: checked.email, locale: await this.localeOf(checked.email) };
  }

  /** For POST (the page's button or an RFC 8058 one-click POST): suppress the address for invitations and reminders. */
  async perform(raw: string, how: 'one-click' | 'page'): Promise<UnsubscribeOutcome> {
    const checked = await this.check(raw);
    if ('state' in checked) return checked;
    await this.dataSource.transaction(async (manager) => {
      await this.suppressions.suppress(checked.email, 'unsubscribe', how === 'one-click' ? 'List-Unsubscribe one-click' : 'unsubscribe page', manager);
      await this.tokens.markUsed(checked.tokenId, manager);
    });
    return { state: 'done', email: checked.email, locale: await this.localeOf(checked.email) };
  }

  private async check(raw: string): Promise<{ tokenId: string; email: string } | Extract<UnsubscribeOutcome, { state: 'invalid' }>> {
    const check = await this.tokens.check(raw);
    if (!check.ok) return { state: 'invalid', reason: check.reason === 'expired' ? 'expired' : 'unknown' };
    // A token minted for anything else (accept, confirm, manage, check-in) unsubscribes no one.
    if (check.token.purpose !== 'unsubscribe' || !check.token.email) return { state: 'invalid', reason: 'unknown' };
    return { tokenId: check.token.id, email: check.token.email };
  }

  private async localeOf(email: string): Promise<Locale | null> {
    return (await this.directory.findByEmail(email))?.locale ?? null;
  }
}
