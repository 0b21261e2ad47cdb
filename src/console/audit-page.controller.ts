import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AUDIT_ACTIONS, AuditLog } from '../auth/audit/audit-log.service';
import { formatDateTime } from '../common/templates/date-format';
import { ConsoleAdminPage } from './console-access';
import { ConsolePages } from './console-pages';

/** The audit log's days are Korean days: 1 March means 1 March 00:00 to 2 March 00:00 in Seoul. */
const ZONE = 'Asia/Seoul';
const ZONE_OFFSET = '+09:00';
const SHOWN = 200;

/** 감사 기록 (admins): the audit log, newest first, filtered by who, what and which days. */
@ApiExcludeController()
@ConsoleAdminPage()
@Controller('console/audit')
export class AuditPageController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  async page(@Req() request: Request, @Res() response: Response): Promise<void> {
    const strings = this.pages.strings(request, response);
    const query = request.query as Record<string, unknown>;
    const field = (name: string) => (typeof query[name] === 'string' ? query[name].trim().slice(0, 320) : '');
    const filter = { actor: field('actor'), action: field('action'), from: field('from'), to: field('to') };
    const errors: Record<string, string> = {};
    const day = (name: 'from' | 'to', value: string, plusDays: number): Date | undefined => {
      if (value === '') return undefined;
      const at = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00${ZONE_OFFSET}`) : new Date(NaN);
      if (Number.isNaN(at.getTime())) {
        errors[name] = strings.text('console.audit.errors.date');
        return undefined;
      }
      return new Date(at.getTime() + plusDays * 86_400_000);
    };
    const from = day('from', filter.from, 0);
    // `to` names the last day shown, so the query's exclusive bound is the day after.
    const to = day('to', filter.to, 1);
    const entries = (await this.audit.list({ actor: filter.actor || undefined, action: filter.action || undefined, from, to, limit: SHOWN })).map((entry) => ({
      ...entry,
      when: formatDateTime(new Date(entry.at), ZONE, strings),
    }));
    this.pages.render(
      request,
      response,
      'console-audit',
      {
        title: strings.text('console.nav.audit'),
        section: 'audit',
        filter,
        errors,
        entries,
        actions: AUDIT_ACTIONS.map((action) => ({ action, selected: action === filter.action })),
        limit: SHOWN,
      },
      Object.keys(errors).length > 0 ? 400 : 200,
    );
  }
}
