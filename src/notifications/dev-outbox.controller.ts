import { Controller, Get, Header, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/**
 * Without SMTP_URL mail goes to .eml files; this page lists them so a developer can open the
 * invitations in a mail client or calendar. It answers 404 when a real SMTP server is configured.
 */
@ApiExcludeController()
@Controller('dev/outbox')
export class DevOutboxController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async list(): Promise<string> {
    const files = await this.files();
    const rows = files
      .map((file) => `<li><a href="/dev/outbox/${encodeURIComponent(file)}">${escapeHtml(file)}</a></li>`)
      .join('\n');
    return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Outbox · Seminar Hub</title>
<body style="font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem">
<h1>Local outbox</h1><p>Mail is written here because SMTP_URL is not set. Newest first; each file opens in a mail client.</p>
<ol>${rows || '<li>No mail yet.</li>'}</ol></body></html>`;
  }

  @Get(':file')
  async file(@Param('file') file: string, @Res() response: Response): Promise<void> {
    const files = await this.files();
    if (!files.includes(file)) throw new NotFoundException(['file not found']);
    response.setHeader('Content-Type', 'message/rfc822');
    response.setHeader('Content-Disposition', `inline; filename="${file}"`);
    response.send(await readFile(join(this.config.mail.outboxDir, file)));
  }

  private async files(): Promise<string[]> {
    if (this.config.mail.smtpUrl) throw new NotFoundException(['mail is sent by SMTP; there is no local outbox']);
    const names = await readdir(this.config.mail.outboxDir).catch(() => [] as string[]);
    return names.filter((name) => name.endsWith('.eml')).sort().reverse();
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
