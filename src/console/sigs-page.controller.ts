import { Controller, ForbiddenException, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditLog } from '../auth/audit/audit-log.service';
import { principalOf } from '../auth/principal';
import { DomainError } from '../common/errors/domain-errors';
import { UuidParam } from '../common/http/uuid-param.pipe';
import { CLUSTER_CODES } from '../config/cluster-codes';
import { CompaniesService } from '../directory/companies/companies.service';
import { DirectoryService } from '../directory/directory.service';
import { AddSigCompaniesDto, CreateSigDto } from '../directory/sigs/sig.dto';
import { SigView } from '../directory/sigs/sig.view';
import { SigsService } from '../directory/sigs/sigs.service';
import { ConsolePage } from './console-access';
import { ConsolePages } from './console-pages';
import { setFlash } from './flash';
import { formFields, invalidFields, list, text } from './form-input';

interface SigForm {
  name: string;
  description: string;
  keywords: string;
  clusters: string[];
}

const EMPTY_FORM: SigForm = { name: '', description: '', keywords: '', clusters: [] };

/**
 * SIG 모임: the SIGs an organizer acts for (those spanning one of their clusters), a form to start
 * one, and a SIG's page where member companies of its clusters join it. The same service and DTOs
 * as `/api/sigs`, so a page and a script meet the same rules.
 */
@ApiExcludeController()
@ConsolePage()
@Controller('console/sigs')
export class SigsPageController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly sigs: SigsService,
    private readonly companies: CompaniesService,
    private readonly directory: DirectoryService,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  async page(@Req() request: Request, @Res() response: Response): Promise<void> {
    const principal = principalOf(request);
    await this.renderList(request, response, { ...EMPTY_FORM, clusters: principal?.role === 'admin' ? [] : [...(principal?.clusters ?? [])] }, {});
  }

  @Post()
  async create(@Req() request: Request, @Res() response: Response): Promise<void> {
    const fields = formFields(request.body);
    const form: SigForm = {
      name: text(fields, 'name').trim(),
      description: text(fields, 'description').trim(),
      keywords: text(fields, 'keywords'),
      clusters: list(fields, 'clusters'),
    };
    const strings = this.pages.strings(request, response);
    const input = {
      name: form.name,
      clusters: form.clusters,
      keywords: form.keywords
        .split(/[,，、\n]/)
        .map((keyword) => keyword.trim())
        .filter((keyword) => keyword !== ''),
      ...(form.description ? { description: form.description } : {}),
    };
    const checked = await invalidFields(CreateSigDto, input);
    if (checked.fields.size > 0) {
      const errors = Object.fromEntries([...checked.fields].map((field) => [field, strings.text(`console.sigs.errors.${field}`)]));
      return this.renderList(request, response, form, errors, 400);
    }
    try {
      const sig = await this.sigs.create(principalOf(request), checked.value);
      await this.audit.recordFor(request, 'sig.create', `sig ${sig.id}`, { name: sig.name, clusters: sig.clusters });
      setFlash(response, 'sigCreated', { name: sig.name });
      response.redirect(303, `/console/sigs/${sig.id}`);
    } catch (failure) {
      if (!(failure instanceof DomainError) || !failure.field) throw failure;
      const message = strings.text(failure.code === 'conflict' ? 'console.sigs.errors.exists' : `console.sigs.errors.${failure.field}`);
      return this.renderList(request, response, form, { [failure.field]: message }, failure.code === 'conflict' ? 409 : 403);
    }
  }

  @Get(':id')
  async sig(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.renderSig(request, response, id, [], null);
  }

  @Post(':id/companies')
  async addCompanies(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const chosen = list(formFields(request.body), 'companyIds');
    const strings = this.pages.strings(request, response);
    const checked = await invalidFields(AddSigCompaniesDto, { companyIds: chosen });
    if (checked.fields.size > 0) return this.renderSig(request, response, id, chosen, strings.text('console.sigs.errors.companyIds'), 400);
    try {
      const sig = await this.sigs.addCompanies(principalOf(request), id, checked.value);
      await this.audit.recordFor(request, 'sig.companies', `sig ${id}`, { added: checked.value.companyIds.length });
      setFlash(response, 'sigCompaniesAdded', { name: sig.name });
      response.redirect(303, `/console/sigs/${id}`);
    } catch (failure) {
      if (!(failure instanceof DomainError) || failure.field !== 'companyIds') throw failure;
      return this.renderSig(request, response, id, chosen, strings.text('console.sigs.errors.companyIds'), 400);
    }
  }

  private async renderList(request: Request, response: Response, form: SigForm, errors: Record<string, string>, status = 200): Promise<void> {
    const strings = this.pages.strings(request, response);
    const names = await this.directory.clusterNames(this.pages.locale(request, response));
    const principal = principalOf(request);
    const sigs = (await this.sigs.list(principal)).map((sig) => this.row(sig, names));
    const mine = principal?.role === 'admin' ? CLUSTER_CODES : CLUSTER_CODES.filter((code) => principal?.clusters.includes(code));
    this.pages.render(
      request,
      response,
      'console-sigs',
      {
        title: strings.text('console.nav.sigs'),
        section: 'sigs',
        sigs,
        form,
        // A cluster organizer's SIG spans one of their clusters and may reach into others (a convergence SIG).
        clusters: CLUSTER_CODES.map((code) => ({ code, name: names.get(code) ?? code, checked: form.clusters.includes(code), own: mine.includes(code) })),
        errors,
        hasErrors: Object.keys(errors).length > 0,
      },
      status,
    );
  }

  /** A SIG, its companies, and the companies of its clusters that may still join (ticked ones kept after an error). */
  private async renderSig(request: Request, response: Response, id: string, chosen: string[], error: string | null, status = 200): Promise<void> {
    const strings = this.pages.strings(request, response);
    const names = await this.directory.clusterNames(this.pages.locale(request, response));
    const principal = principalOf(request);
    const sig = await this.sigs.get(principal, id).catch((failure: unknown) => {
      if (failure instanceof DomainError && failure.code === 'not_found') return null;
      // Another cluster's SIG: the console's 403 page, in its frame.
      if (failure instanceof DomainError && failure.code === 'forbidden') throw new ForbiddenException(failure.message);
      throw failure;
    });
    if (!sig) {
      this.pages.render(
        request,
        response,
        'console-error',
        { title: strings.text('pages.error.status.404'), messages: [strings.text('console.sigs.notFound')] },
        404,
      );
      return;
    }
    const members = new Set(sig.companies.map((company) => company.id));
    const candidates = (await this.companies.inClusters(sig.clusters))
      .filter((company) => !members.has(company.id))
      .map((company) => ({
        id: company.id,
        name: company.name,
        cluster: names.get(company.clusterCode) ?? company.clusterCode,
        checked: chosen.includes(company.id),
      }));
    this.pages.render(
      request,
      response,
      'console-sig',
      {
        title: sig.name,
        section: 'sigs',
        sig: this.row(sig, names),
        companies: sig.companies.map((company) => ({ ...company, cluster: names.get(company.clusterCode) ?? company.clusterCode })),
        candidates,
        error,
      },
      status,
    );
  }

  private row(sig: SigView, names: Map<string, string>) {
    return {
      id: sig.id,
      name: sig.name,
      description: sig.description,
      keywords: sig.keywords.join(', '),
      clusterNames: sig.clusters.map((code) => names.get(code) ?? code).join(' · '),
      convergence: sig.convergence,
      companyCount: sig.companies.length,
      memberCount: sig.memberCount,
    };
  }
}
