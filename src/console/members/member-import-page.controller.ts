import { Controller, Get, HttpException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditLog } from '../../auth/audit/audit-log.service';
import { principalOf } from '../../auth/principal';
import { DomainError } from '../../common/errors/domain-errors';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { formatDateTime } from '../../common/templates/date-format';
import { MEMBER_CSV_COLUMNS } from '../../directory/member-csv-import';
import { MemberImportReports } from '../../directory/member-import-reports';
import { ImportMembers, importSummary } from '../../directory/use-cases/import-members';
import { ConsolePage } from '../console-access';
import { ConsolePages } from '../console-pages';
import { setFlash } from '../flash';

/** The form field of the file; console.module reads it with multer before the CSRF guard looks at the form. */
export const IMPORT_FILE_FIELD = 'file';

/**
 * 회원 가져오기: upload a member CSV from the browser (a multipart form, no JavaScript), imported
 * exactly as POST /api/members/import does — UTF-8 with or without BOM or Korean Excel's CP949,
 * one transaction, a cluster organizer only into their clusters — then the report page: created,
 * updated, unchanged, and each rejected line with its number and reason.
 */
@ApiExcludeController()
@ConsolePage()
@Controller('console/members/import')
export class MemberImportPageController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly importMembers: ImportMembers,
    private readonly reports: MemberImportReports,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  form(@Req() request: Request, @Res() response: Response): void {
    this.renderForm(request, response, null);
  }

  @Post()
  async upload(@Req() request: Request, @Res() response: Response): Promise<void> {
    const principal = principalOf(request)!;
    const strings = this.pages.strings(request, response);
    const file = request.file;
    if (!file || file.size === 0) return this.renderForm(request, response, strings.text('console.import.errors.noFile'), 400);
    let result;
    try {
      result = await this.importMembers.importFile(file.buffer, file.mimetype, principal);
    } catch (error) {
      const reason = refusal(error);
      if (reason === null) throw error;
      return this.renderForm(request, response, strings.text('console.import.errors.refused', { reason }), 400);
    }
    const id = await this.reports.save(principal, file.originalname || null, result);
    await this.audit.recordFor(request, 'members.import', `${importSummary(result)} (${file.originalname || 'upload'})`, { report: id });
    setFlash(response, 'membersImported', { created: result.created, updated: result.updated, unchanged: result.unchanged, rejected: result.rejected.length });
    response.redirect(303, `/console/members/import/${id}`);
  }

  @Get(':id')
  async report(@Param('id', UuidParam('id')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const strings = this.pages.strings(request, response);
    const report = await this.reports.readableBy(principalOf(request)!, id);
    this.pages.render(request, response, 'console-member-import-report', {
      title: strings.text('console.import.reportTitle'),
      section: 'members',
      report: { ...report, when: formatDateTime(report.at, 'Asia/Seoul', strings), more: report.rejectedCount - report.rejected.length },
    });
  }

  private renderForm(request: Request, response: Response, fileError: string | null, status = 200): void {
    const principal = principalOf(request)!;
    const strings = this.pages.strings(request, response);
    this.pages.render(
      request,
      response,
      'console-member-import',
      {
        title: strings.text('console.import.title'),
        section: 'members',
        header: MEMBER_CSV_COLUMNS.join(','),
        scope: principal.role === 'admin' ? null : principal.clusters.join(', '),
        fileError,
      },
      status,
    );
  }
}

/** Why a file was refused whole (not CSV, a wrong header, bytes that are no text), or null for an error that is no refusal. */
function refusal(error: unknown): string | null {
  if (error instanceof DomainError && error.code === 'invalid') return error.message;
  if (error instanceof HttpException && error.getStatus() < 500) {
    const body = error.getResponse();
    const message = typeof body === 'object' && body !== null && 'message' in body ? body.message : body;
    return Array.isArray(message) ? message.join('; ') : String(message);
  }
  return null;
}
