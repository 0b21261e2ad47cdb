import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AuditLog } from '../../auth/audit/audit-log.service';
import { principalOf } from '../../auth/principal';
import { DomainError } from '../../common/errors/domain-errors';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { LOCALES, Locale } from '../../common/templates/locales';
import { DirectoryService } from '../../directory/directory.service';
import { SigsService } from '../../directory/sigs/sigs.service';
import { clusterCodes } from '../../events/dto/event.view';
import { EventsService } from '../../events/events.service';
import { DeliveriesService } from '../../notifications/deliveries/deliveries.service';
import { MailComposer } from '../../notifications/mail/mail-composer.service';
import { OutboxMessage } from '../../notifications/outbox/outbox-message.entity';
import { SendInvitationsDto } from '../../registrations/dto/send-invitations.dto';
import { SendInvitations } from '../../registrations/use-cases/send-invitations';
import { SuggestionsService } from '../../reports/suggestions.service';
import { ConsoleEventPage } from '../console-access';
import { ConsolePages } from '../console-pages';
import { setFlash } from '../flash';
import { formFields, invalidFields, list, text } from '../form-input';

/**
 * The preview frame's own policy: the mail's HTML needs its inline styles, nothing else loads,
 * nothing runs (sandbox), and only the console's own page may frame it.
 */
/** How many suggested invitees the page offers, best first. */
const SUGGESTIONS_SHOWN = 20;

const PREVIEW_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox";

/** The audience as chosen on the page: the query of the GET form, or the hidden fields of the send form. */
interface Choice {
  /** False on a first visit: the event's audience clusters are then preselected. */
  chosen: boolean;
  clusters: string[];
  sigs: string[];
  /** Suggested invitees ticked on the page (members of other clusters whose keywords match the event's). */
  members: string[];
}

/**
 * 초대장 발송 (CONSOLE.md flow 3): choose the clusters and SIGs, see how many people that is and
 * who is skipped and why (SendInvitations.plan, the decision the send makes), preview the mail
 * in Korean and English as the mail composer makes it, send, then watch the progress.
 */
@ApiExcludeController()
@ConsoleEventPage()
@Controller('console/events/:id/invitations')
export class InvitationsPageController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly events: EventsService,
    private readonly directory: DirectoryService,
    private readonly sigs: SigsService,
    private readonly invitations: SendInvitations,
    private readonly deliveries: DeliveriesService,
    private readonly composer: MailComposer,
    private readonly audit: AuditLog,
    private readonly suggestions: SuggestionsService,
  ) {}

  @Get()
  async page(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const fields = formFields(request.query);
    await this.render(request, response, id, {
      chosen: text(fields, 'chosen') === '1',
      clusters: list(fields, 'clusters'),
      sigs: list(fields, 'sigs'),
      members: list(fields, 'members'),
    });
  }

  @Post()
  async send(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const fields = formFields(request.body);
    const choice: Choice = { chosen: true, clusters: list(fields, 'clusters'), sigs: list(fields, 'sigs'), members: list(fields, 'members') };
    const checked = await invalidFields(SendInvitationsDto, audienceOf(choice));
    if (checked.fields.size > 0) return this.render(request, response, id, choice);
    try {
      const { queued } = await this.invitations.execute(id, checked.value);
      await this.audit.recordFor(request, 'invitations.send', `event ${id}`, {
        queued,
        clusters: choice.clusters,
        sigs: choice.sigs,
        members: choice.members.length,
      });
      setFlash(response, 'invitationsSent', { count: queued });
      response.redirect(303, `/console/events/${id}/invitations`);
    } catch (error) {
      if (!(error instanceof DomainError) || (error.code !== 'conflict' && error.code !== 'invalid')) throw error;
      // The use case refuses a draft, a cancelled or an ended event, or a SIG deleted meanwhile; say which in the page's language.
      const event = await this.events.get(id, { organizer: true });
      const why = error.code === 'invalid' ? 'changed' : event.status !== 'published' ? 'notPublished' : 'over';
      setFlash(response, 'invitationsRefused', { reason: this.pages.strings(request, response).text(`console.invitations.refused.${why}`) }, 'error');
      response.redirect(303, `/console/events/${id}/invitations?${choiceQuery(choice)}`);
    }
  }

  /** The invitation as it will arrive, for the page's iframe; its links lead nowhere (MailComposer's preview). */
  @Get('preview')
  async preview(
    @Param('id', UuidParam('id')) id: string,
    @Query('locale') wanted: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const locale: Locale = LOCALES.find((candidate) => candidate === wanted) ?? 'ko';
    const fields = formFields(request.query);
    await this.events.get(id, { organizer: true }); // 404 for an unknown event
    const chosen = text(fields, 'chosen') === '1';
    const checked = await invalidFields(
      SendInvitationsDto,
      chosen ? audienceOf({ chosen, clusters: list(fields, 'clusters'), sigs: list(fields, 'sigs'), members: list(fields, 'members') }) : {},
    );
    // The recipient shown is the first who would get it; an audience not yet valid just shows a sample name.
    const sample = checked.fields.size === 0 ? (await this.invitations.plan(id, checked.value).catch(() => null))?.invited[0] : undefined;
    const strings = this.pages.strings(request, response);
    const row = Object.assign(new OutboxMessage(), {
      id: 'preview',
      kind: 'invitation',
      eventId: id,
      memberId: sample?.id ?? null,
      registrationId: null,
      recipient: sample?.email ?? 'preview@example.invalid',
      locale,
      payload: { recipientName: sample?.name ?? strings.text('console.invitations.sampleName') },
      messageKey: randomUUID(),
    });
    const mail = await this.composer.compose(row, { preview: true });
    response.setHeader('Content-Security-Policy', PREVIEW_POLICY);
    response.setHeader('X-Frame-Options', 'SAMEORIGIN');
    response.setHeader('Cache-Control', 'no-store');
    response
      .status(200)
      .type('html')
      .send(typeof mail.html === 'string' ? mail.html : '');
  }

  private async render(request: Request, response: Response, id: string, choice: Choice): Promise<void> {
    const strings = this.pages.strings(request, response);
    const locale = this.pages.locale(request, response);
    const event = await this.events.get(id, { organizer: true });
    const selected = choice.chosen ? choice : { chosen: false, clusters: clusterCodes(event, 'audience'), sigs: [], members: [] };
    const checked = await invalidFields(SendInvitationsDto, audienceOf(selected));
    const errors: Record<string, string> = {};
    for (const field of checked.fields)
      errors[field] = strings.text(`console.invitations.errors.${field === 'sigs' || field === 'memberIds' ? field : 'clusters'}`);
    let plan = null;
    if (checked.fields.size === 0) {
      try {
        plan = await this.invitations.plan(id, checked.value);
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'invalid') throw error;
        const field = error.field === 'sigs' || error.field === 'memberIds' ? error.field : 'clusters';
        errors[field] = strings.text(`console.invitations.errors.${field}`);
      }
    }
    const clusters = (await this.directory.listClusters()).map((cluster) => ({
      code: cluster.code,
      name: locale === 'en' ? cluster.nameEn : cluster.nameKo,
      checked: selected.clusters.includes(cluster.code),
    }));
    const sigs = (await this.sigs.list(principalOf(request))).map((sig) => ({
      id: sig.id,
      name: sig.name,
      memberCount: sig.memberCount,
      checked: selected.sigs.includes(sig.id),
    }));
    // Suggested invitees (issue 10): people of other clusters whose company or SIG keywords match the event's.
    const suggestions = (await this.suggestions.suggest(id, strings, SUGGESTIONS_SHOWN)).map((suggestion) => ({
      ...suggestion,
      clusterName: clusters.find((cluster) => cluster.code === suggestion.cluster)?.name ?? suggestion.cluster,
      checked: selected.members.includes(suggestion.memberId),
    }));
    const query = choiceQuery({ chosen: true, clusters: selected.clusters, sigs: selected.sigs, members: selected.members });
    const progress = await this.deliveries.counts(id, 'invitation');
    const published = event.status === 'published';
    this.pages.render(
      request,
      response,
      'console-invitations',
      {
        title: strings.text('console.invitations.title'),
        section: 'events',
        event: { id: event.id, title: event.title, published },
        clusters,
        sigs,
        suggestions,
        errors,
        plan: plan && {
          audience: plan.audience,
          invited: plan.invited.length,
          skipped: plan.skipped,
          skippedTotal: plan.skipped.registered + plan.skipped.alreadyInvited + plan.skipped.unsubscribed + plan.skipped.bounced,
        },
        previewKo: `/console/events/${id}/invitations/preview?locale=ko&${query}`,
        previewEn: `/console/events/${id}/invitations/preview?locale=en&${query}`,
        canSend: published && plan !== null && plan.invited.length > 0,
        progress: { ...progress, any: Object.values(progress).some((count) => count > 0) },
        selected,
      },
      Object.keys(errors).length > 0 ? 400 : 200,
    );
  }
}

function choiceQuery(choice: Choice): string {
  const query = new URLSearchParams({ chosen: '1' });
  for (const code of choice.clusters) query.append('clusters', code);
  for (const sig of choice.sigs) query.append('sigs', sig);
  for (const member of choice.members) query.append('members', member);
  return query.toString();
}

/** The send's input: clusters and SIGs as chosen, plus the ticked suggestions by id. */
function audienceOf(choice: Choice): { clusters: string[]; sigs: string[]; memberIds?: string[] } {
  return { clusters: choice.clusters, sigs: choice.sigs, ...(choice.members.length > 0 ? { memberIds: choice.members } : {}) };
}
