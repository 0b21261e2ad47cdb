import { Controller, ForbiddenException, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditLog } from '../../auth/audit/audit-log.service';
import { principalOf } from '../../auth/principal';
import { DomainError } from '../../common/errors/domain-errors';
import { formatDateTime } from '../../common/templates/date-format';
import { AddSuppressionDto } from '../../notifications/suppressions/suppressions.controller';
import { mayLift, SuppressionsService } from '../../notifications/suppressions/suppressions.service';
import { ConsolePage } from '../console-access';
import { ConsolePages } from '../console-pages';
import { setFlash } from '../flash';
import { formFields, invalidFields, text } from '../form-input';

const PAGE_SIZE = 100;

interface AddForm {
  email: string;
  scope: string;
  reason: string;
}

/**
 * 수신 거부: the addresses that get no mail, or no invitations and reminders (bounced, unsubscribed,
 * or added by hand), searched by address; adding one with a reason, lifting one (mayLift says who
 * may lift what). Every change is in the audit log.
 */
@ApiExcludeController()
@ConsolePage()
@Controller('console/suppressions')
export class SuppressionsPageController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly suppressions: SuppressionsService,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  async page(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.render(request, response, { email: '', scope: 'non_essential', reason: '' }, {});
  }

  @Post()
  async add(@Req() request: Request, @Res() response: Response): Promise<void> {
    const fields = formFields(request.body);
    const form: AddForm = { email: text(fields, 'email'), scope: text(fields, 'scope'), reason: text(fields, 'reason') };
    const strings = this.pages.strings(request, response);
    const checked = await invalidFields(AddSuppressionDto, form);
    const errors: Record<string, string> = {};
    for (const field of checked.fields) errors[field] = strings.text(`console.suppressions.errors.${field}`);
    if (checked.fields.size === 0) {
      try {
        await this.suppressions.addManually(checked.value.email, checked.value.scope, checked.value.reason, principalOf(request)!.actor);
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'conflict') throw error;
        errors.email = strings.text('console.suppressions.errors.exists');
      }
    }
    if (Object.keys(errors).length > 0) return this.render(request, response, form, errors, 400);
    const email = checked.value.email.toLowerCase();
    await this.audit.recordFor(request, 'suppression.add', email, { scope: checked.value.scope });
    setFlash(response, 'suppressionAdded', { email });
    response.redirect(303, '/console/suppressions');
  }

  @Post('remove')
  async remove(@Req() request: Request, @Res() response: Response): Promise<void> {
    const email = text(formFields(request.body), 'email').trim().toLowerCase();
    const entry = email ? await this.suppressions.find(email) : null;
    if (!entry) {
      setFlash(response, 'suppressionGone', {}, 'error');
      return response.redirect(303, '/console/suppressions');
    }
    if (!mayLift(principalOf(request)!, entry.reason)) throw new ForbiddenException('an unsubscribe is lifted only by a federation admin');
    await this.suppressions.lift(email);
    await this.audit.recordFor(request, 'suppression.remove', email, { reason: entry.reason });
    setFlash(response, 'suppressionRemoved', { email });
    response.redirect(303, '/console/suppressions');
  }

  private async render(request: Request, response: Response, form: AddForm, errors: Record<string, string>, status = 200): Promise<void> {
    const strings = this.pages.strings(request, response);
    const principal = principalOf(request)!;
    const fields = formFields(request.query);
    const search = text(fields, 'q').trim().slice(0, 320);
    const after = text(fields, 'after');
    const page = await this.suppressions.page({ search: search || undefined, after: after || undefined, limit: PAGE_SIZE });
    const nextQuery = new URLSearchParams(search ? { q: search } : {});
    if (page.next) nextQuery.set('after', page.next);
    this.pages.render(
      request,
      response,
      'console-suppressions',
      {
        title: strings.text('console.nav.suppressions'),
        section: 'suppressions',
        search,
        suppressions: page.suppressions.map((entry) => ({
          email: entry.email,
          reason: strings.text(`console.suppressions.reasons.${entry.reason}`),
          scope: strings.text(`console.suppressions.scopes.${entry.scope}`),
          detail: entry.detail,
          addedBy: entry.addedBy,
          createdAt: formatDateTime(entry.createdAt, 'Asia/Seoul', strings),
          canLift: mayLift(principal, entry.reason),
        })),
        nextUrl: page.next ? `/console/suppressions?${nextQuery.toString()}` : null,
        firstUrl: after ? `/console/suppressions${search ? `?${new URLSearchParams({ q: search }).toString()}` : ''}` : null,
        form: { ...form, scopeAll: form.scope === 'all', scopeNonEssential: form.scope !== 'all' },
        errors,
        hasErrors: Object.keys(errors).length > 0,
      },
      status,
    );
  }
}
