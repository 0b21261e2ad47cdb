import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditLog } from '../auth/audit/audit-log.service';
import { CreateOrganizerDto } from '../auth/organizers/organizer.dto';
import { OrganizersService } from '../auth/organizers/organizers.service';
import { CLUSTER_CODES } from '../config/cluster-codes';
import { DomainError } from '../common/errors/domain-errors';
import type { StringTable } from '../common/templates/string-table';
import { DirectoryService } from '../directory/directory.service';
import { ConsoleAdminPage } from './console-access';
import { ConsolePages } from './console-pages';
import { setFlash } from './flash';
import { formFields, invalidFields, list, text } from './form-input';

interface OrganizerForm {
  email: string;
  name: string;
  role: string;
  clusters: string[];
}

/** 운영자 (admins): who may use the console, and a form to add one (OrganizersService.create, audited). */
@ApiExcludeController()
@ConsoleAdminPage()
@Controller('console/organizers')
export class OrganizersPageController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly organizers: OrganizersService,
    private readonly directory: DirectoryService,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  async page(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.render(request, response, { email: '', name: '', role: 'cluster_organizer', clusters: [] }, {});
  }

  @Post()
  async add(@Req() request: Request, @Res() response: Response): Promise<void> {
    const fields = formFields(request.body);
    const form: OrganizerForm = {
      email: text(fields, 'email').trim(),
      name: text(fields, 'name').trim(),
      role: text(fields, 'role'),
      clusters: list(fields, 'clusters'),
    };
    const strings = this.pages.strings(request, response);
    const error = (field: string) => strings.text(`console.organizers.errors.${field}`);
    const input = {
      email: form.email,
      role: form.role,
      ...(form.name ? { name: form.name } : {}),
      ...(form.role === 'admin' && form.clusters.length === 0 ? {} : { clusters: form.clusters }),
    };
    const checked = await invalidFields(CreateOrganizerDto, input);
    if (checked.fields.size > 0) {
      const errors = Object.fromEntries(
        [...checked.fields].filter((field) => ['email', 'name', 'role', 'clusters'].includes(field)).map((field) => [field, error(field)]),
      );
      return this.render(request, response, form, errors, 400);
    }
    try {
      const made = await this.organizers.create(checked.value);
      await this.audit.recordFor(request, 'organizer.create', `organizer ${made.email}`, { role: made.role, clusters: made.clusters });
      setFlash(response, 'organizerAdded', { email: made.email });
      response.redirect(303, '/console/organizers');
    } catch (failure) {
      if (!(failure instanceof DomainError) || !failure.field) throw failure;
      const message = failure.code === 'conflict' ? error('exists') : error(failure.field);
      return this.render(request, response, form, { [failure.field]: message }, failure.code === 'conflict' ? 409 : 400);
    }
  }

  private async render(request: Request, response: Response, form: OrganizerForm, errors: Record<string, string>, status = 200): Promise<void> {
    const locale = this.pages.locale(request, response);
    const strings = this.pages.strings(request, response);
    const names = await this.directory.clusterNames(locale);
    const organizers = (await this.organizers.list()).map((organizer) => ({
      ...organizer,
      roleLabel: roleLabel(organizer.role, strings),
      clusterNames: organizer.clusters.map((code) => names.get(code) ?? code).join(' · '),
      disabled: organizer.disabledAt !== null,
    }));
    this.pages.render(
      request,
      response,
      'console-organizers',
      {
        title: strings.text('console.nav.organizers'),
        section: 'organizers',
        organizers,
        form: { ...form, isAdmin: form.role === 'admin', isClusterOrganizer: form.role !== 'admin' },
        clusters: CLUSTER_CODES.map((code) => ({ code, name: names.get(code) ?? code, checked: form.clusters.includes(code) })),
        errors,
        hasErrors: Object.keys(errors).length > 0,
      },
      status,
    );
  }
}

function roleLabel(role: string, strings: StringTable): string {
  return strings.text(role === 'admin' ? 'console.roles.admin' : 'console.roles.cluster_organizer');
}
