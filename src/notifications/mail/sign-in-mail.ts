import type { SendMailOptions } from 'nodemailer';
import type { AppConfig } from '../../config/app-config';
import type { TemplateRenderer } from '../../common/templates/template-renderer.service';
import type { LinkTokensService } from '../../link-tokens/link-tokens.service';
import type { OutboxMessage } from '../outbox/outbox-message.entity';
import { MailNotNeeded } from './mail-not-needed';

/** How long a console sign-in link works, from the moment it was asked for. */
export const SIGN_IN_LINK_MINUTES = 30;

/**
 * The console's sign-in mail: one link to `/console/sign-in/<token>`, about no event, from Seminar
 * Hub itself. The api stored the link's hash when it wrote the row (mintShortLived with the row's
 * message key); minting here gives the same raw token, so a retried send carries the same link.
 * A row older than the link's life is not sent: the link in it could no longer sign anyone in.
 */
export async function composeSignInMail(
  row: OutboxMessage,
  deps: { config: AppConfig; templates: TemplateRenderer; tokens: LinkTokensService },
  now: Date = new Date(),
): Promise<SendMailOptions> {
  if (now.getTime() - row.createdAt.getTime() >= SIGN_IN_LINK_MINUTES * 60_000) {
    throw new MailNotNeeded('not sent: the sign-in link expired before the mail could go out');
  }
  const token = await deps.tokens.mintShortLived(row.messageKey, 'sign_in', { email: row.recipient, minutes: SIGN_IN_LINK_MINUTES });
  const recipientName = typeof row.payload.recipientName === 'string' ? row.payload.recipientName : null;
  const { subject, text, html } = deps.templates.renderMail(row.locale, 'sign_in', {
    recipientName,
    actionUrl: `${deps.config.publicUrl}/console/sign-in/${token}`,
    minutes: SIGN_IN_LINK_MINUTES,
  });
  return {
    from: { name: 'Seminar Hub', address: deps.config.mail.from },
    to: recipientName ? { name: recipientName, address: row.recipient } : row.recipient,
    subject,
    text,
    html,
    // Derived from the row, as for every mail: a retried send is the same message (RFC 5322 §3.6.4).
    messageId: `<${row.messageKey}@${deps.config.mail.from.split('@').pop()}>`,
    headers: { 'X-Seminar-Hub-Outbox': row.id },
  };
}
