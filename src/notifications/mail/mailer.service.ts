import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { SendMailOptions, Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';

export interface SentMail {
  messageId: string;
}

/**
 * The one mailer. With SMTP_URL: a pooled SMTP transport (connections are reused across
 * the worker's jobs). Without: each message is written as an .eml file to the local outbox
 * folder, shown to organizers at /dev/outbox, so a new machine needs no mail server. The files
 * hold personal links, so the folder and the files are readable by their owner only.
 */
@Injectable()
export class MailerService implements OnApplicationShutdown {
  private readonly logger = new Logger(MailerService.name);
  private readonly transport: Transporter;
  private readonly toFolder: boolean;
  private folderReady: Promise<void> | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.toFolder = !config.mail.smtpUrl;
    if (config.mail.smtpUrl) {
      const url = new URL(config.mail.smtpUrl);
      if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
      // With a DKIM key every message is signed on its way out (relaxed/relaxed, rsa-sha256: nodemailer's defaults).
      // The URL's own settings (pool=false, say) win over the object's, as nodemailer merges them.
      const options: SMTPPool.Options = { url: url.toString(), pool: true, dkim: config.mail.dkim ? { ...config.mail.dkim } : undefined };
      this.transport = nodemailer.createTransport(options);
    } else {
      this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    }
  }

  async send(message: SendMailOptions, fileStem: string): Promise<SentMail> {
    const info = await this.transport.sendMail(message);
    if (this.toFolder) {
      await (this.folderReady ??= this.privateFolder().catch((error: unknown) => {
        this.folderReady = undefined; // try again with the next mail
        throw error;
      }));
      const file = join(this.config.mail.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${fileStem}.eml`);
      await writeFile(file, info.message as Buffer, { mode: 0o600 });
      this.logger.log(`mail written to ${file}`);
    }
    return { messageId: info.messageId };
  }

  /** The outbox folder, made (or tightened, if an older version made it open) to owner-only. */
  private async privateFolder(): Promise<void> {
    await mkdir(this.config.mail.outboxDir, { recursive: true, mode: 0o700 });
    await chmod(this.config.mail.outboxDir, 0o700);
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}

/** SMTP 5xx replies are permanent (RFC 5321 §4.2.1): retrying cannot help. */
export function isPermanentMailError(error: unknown): boolean {
  const code = (error as { responseCode?: number } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/**
 * A permanent refusal of the recipient or of the message for them (5xx to RCPT TO or at the end of
 * DATA): the address bounces and is suppressed. A 5xx elsewhere (AUTH, MAIL FROM: our sender or
 * credentials) is our problem, not the recipient's, and suppresses no one.
 */
export function isRecipientBounce(error: unknown): boolean {
  const command = (error as { command?: string } | null)?.command;
  return isPermanentMailError(error) && (command === 'RCPT TO' || command === 'DATA');
}
