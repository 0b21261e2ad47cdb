import { Controller, ForbiddenException, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { actsFor, principalOf } from '../../auth/principal';
import { InvalidInputError } from '../../common/errors/domain-errors';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { formatDateTime } from '../../common/templates/date-format';
import { CLUSTER_CODES } from '../../config/cluster-codes';
import { DirectoryService } from '../../directory/directory.service';
import { ListMembersQuery } from '../../directory/dto/list-members.query';
import { MemberRegistrationsReader } from '../../registrations/member-registrations.reader';
import { ConsolePage } from '../console-access';
import { ConsolePages } from '../console-pages';
import { invalidFields } from '../form-input';

/** Members shown per page; the JSON API takes any `limit` up to its maximum. */
const PAGE_SIZE = 50;

/**
 * 회원·기업: the member directory — search by name, email or company, filter by cluster, a page
 * at a time (keyset, "다음" follows the last member shown) — and a member's own page with their
 * company, cluster and registrations. A cluster organizer sees only the members of their
 * clusters, as the JSON API scopes them; another cluster's member page is a 403.
 */
@ApiExcludeController()
@ConsolePage()
@Controller('console/members')
export class MembersPageController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly directory: DirectoryService,
    private readonly memberRegistrations: MemberRegistrationsReader,
  ) {}

  @Get()
  async list(@Req() request: Request, @Res() response: Response): Promise<void> {
    const principal = principalOf(request)!;
    const strings = this.pages.strings(request, response);
    const query = request.query as Record<string, unknown>;
    const field = (name: string) => (typeof query[name] === 'string' ? query[name] : '');
    const form = { q: field('q'), cluster: field('cluster'), after: field('after') };
    const checked = await invalidFields(ListMembersQuery, {
      q: form.q || undefined,
      cluster: form.cluster || undefined,
      after: form.after || undefined,
      limit: PAGE_SIZE,
    });
    const errors: Record<string, string> = {};
    for (const name of checked.fields) errors[name] = strings.text(`console.members.errors.${name}`);
    const within = principal.role === 'admin' ? undefined : principal.clusters;
    let page: Awaited<ReturnType<DirectoryService['searchMembers']>> = { members: [], more: false };
    if (Object.keys(errors).length === 0) {
      try {
        page = await this.directory.searchMembers({ ...checked.value, within });
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        errors.after = strings.text('console.members.errors.after');
      }
    }
    const clusterNames = await this.directory.clusterNames(this.pages.locale(request, response));
    const visibleClusters = within ?? CLUSTER_CODES;
    let next: string | null = null;
    if (page.more) {
      const params = new URLSearchParams();
      if (checked.value.q) params.set('q', checked.value.q);
      if (checked.value.cluster) params.set('cluster', checked.value.cluster);
      params.set('after', page.members[page.members.length - 1].id);
      next = `/console/members?${params.toString()}`;
    }
    this.pages.render(
      request,
      response,
      'console-members',
      {
        title: strings.text('console.nav.members'),
        section: 'members',
        form,
        errors,
        clusters: visibleClusters.map((code) => ({ code, name: clusterNames.get(code) ?? code, selected: code === form.cluster })),
        members: page.members.map((member) => ({
          id: member.id,
          name: member.name,
          email: member.email,
          company: member.company?.name ?? null,
          cluster: clusterNames.get(member.clusterCode) ?? member.clusterCode,
        })),
        filtered: Boolean(form.q || form.cluster || form.after),
        next,
        firstPage: form.after ? this.firstPageUrl(checked.value) : null,
      },
      Object.keys(errors).length > 0 ? 400 : 200,
    );
  }

  @Get(':id')
  async member(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const principal = principalOf(request)!;
    const member = await this.directory.getMember(id);
    if (!actsFor(principal, [member.clusterCode])) throw new ForbiddenException('this member belongs to a cluster that is not yours');
    const locale = this.pages.locale(request, response);
    const strings = this.pages.strings(request, response);
    const clusterNames = await this.directory.clusterNames(locale);
    const registrations = (await this.memberRegistrations.visibleTo(principal, member)).map((registration) => ({
      ...registration,
      when: formatDateTime(registration.event.startsAt, registration.event.timezone, strings),
      checkedIn: registration.checkedInAt ? formatDateTime(registration.checkedInAt, registration.event.timezone, strings) : null,
      statusText: strings.text(`console.members.registrationStatus.${registration.status}`),
    }));
    this.pages.render(request, response, 'console-member', {
      title: member.name,
      section: 'members',
      member: {
        name: member.name,
        email: member.email,
        company: member.company?.name ?? null,
        cluster: clusterNames.get(member.clusterCode) ?? member.clusterCode,
        clusterCode: member.clusterCode,
        locale: member.locale,
        joined: formatDateTime(member.createdAt, 'Asia/Seoul', strings),
      },
      registrations,
    });
  }

  private firstPageUrl(query: ListMembersQuery): string {
    const params = new URLSearchParams();
    if (query.q) params.set('q', query.q);
    if (query.cluster) params.set('cluster', query.cluster);
    const rest = params.toString();
    return rest ? `/console/members?${rest}` : '/console/members';
  }
}
