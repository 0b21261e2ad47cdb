import {
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  Header,
  Inject,
  Injectable,
  NotFoundException,
  Param,
  Res,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OrganizerAuth } from '../auth/organizer-auth';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/**
 * The files hold everyone's personal links (confirm, cancel, unsubscribe): only an organizer may
 * read them. A browser asks for the credential itself on a Basic challenge (RFC 7617), where the
 * organizer token is the password; scripts send it as a Bearer token.
 */
@Injectable()
export class OutboxReaderGuard implements CanActivate {
  constructor(private readonly auth: OrganizerAuth) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    if (this.auth.isOrganizer(http.getRequest<Request>())) return true;
    http.getResponse<Response>().setHeader('WWW-Authenticate', 'Basic realm="Seminar Hub outbox: the organizer token is the password", charset="UTF-8"');
    throw new UnauthorizedException(
      'the local outbox holds personal links: give the organizer token (Authorization: Bearer <token>, or as the password when the browser asks)',
    );
  }
}

/**
 * Without SMTP_URL mail goes to .eml files; this page lists them so an organizer can open the
 * invitations in a mail client or calendar. It answers 404 when a real SMTP server is configured.
 */
@ApiExcludeController()
@UseGuards(OutboxReaderGuard)
@Controller('dev/outbox')
export class DevOutboxController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async list(): Promise<string> {
    const files = await this.files();
    const rows = files.map((file) => `<li><a href="/dev/outbox/${encodeURIComponent(file)}">${escapeHtml(file)}</a></li>`).join('\n');
    return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Outbox · Seminar Hub</title><link rel="stylesheet" href="/assets/site.css">
<body><main id="main">
<h1>Local outbox</h1><p>Mail is written here because SMTP_URL is not set. Newest first; each file opens in a mail client.</p>
<ol>${rows || '<li>No mail yet.</li>'}</ol></main></body></html>`;
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
    return names
      .filter((name) => name.endsWith('.eml'))
      .sort()
      .reverse();
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
