import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, PipeTransform, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsEmail, isEmail, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { Request } from 'express';
import { AuditLog } from '../../auth/audit/audit-log.service';
import { OrganizerOnly } from '../../auth/organizer-auth';
import { principalOf } from '../../auth/principal';
import { Trimmed } from '../../common/validation/trimmed';
import { MailSuppression, SUPPRESSION_SCOPES, SuppressionScope } from './mail-suppression.entity';
import { SuppressionsService } from './suppressions.service';

export class SuppressionView {
  @ApiProperty({ example: 'bounce@nowhere.example' }) email: string;
  @ApiProperty({ enum: ['bounce', 'unsubscribe', 'manual'], description: '`manual`: added by an organizer' }) reason: string;
  @ApiProperty({ enum: ['all', 'non_essential'], description: '`non_essential`: no invitations or reminders; other mail still goes out' }) scope: string;
  @ApiPropertyOptional({ nullable: true, description: "the SMTP reply of the bounce, or the organizer's reason" }) detail: string | null;
  @ApiPropertyOptional({ description: 'the organizer who added it by hand (present on `manual` entries only)' }) addedBy?: string;
  @ApiProperty() createdAt: Date;

  static of(row: MailSuppression): SuppressionView {
    return Object.assign(new SuppressionView(), {
      email: row.email,
      reason: row.reason,
      scope: row.scope,
      detail: row.detail,
      // Only on entries added by hand, so the answer for bounces and unsubscribes keeps its earlier shape.
      ...(row.addedBy ? { addedBy: row.addedBy } : {}),
      createdAt: row.createdAt,
    });
  }
}

export class AddSuppressionDto {
  @ApiProperty({ example: 'left-the-company@hanbit.example' })
  @Trimmed()
  @IsEmail({}, { message: 'email must be an email' })
  @MaxLength(320, { message: 'email must be at most 320 characters' })
  email: string;

  @ApiProperty({ enum: SUPPRESSION_SCOPES, description: '`all`: no mail at all; `non_essential`: no invitations or reminders' })
  @IsIn(SUPPRESSION_SCOPES, { message: `scope must be one of ${SUPPRESSION_SCOPES.join(', ')}` })
  scope: SuppressionScope;

  @ApiProperty({ example: '퇴사 (담당자 요청)', description: 'why, for whoever reads the list later' })
  @Trimmed()
  @IsString({ message: 'reason must be text' })
  @IsNotEmpty({ message: 'reason must not be empty' })
  @MaxLength(500, { message: 'reason must be at most 500 characters' })
  reason: string;
}

/** `:email` must be an address: a 400 that names it rather than a lookup of anything. */
class EmailParam implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || value.length > 320 || !isEmail(value)) throw new BadRequestException(['email must be an email']);
    return value.toLowerCase();
  }
}

/** The suppression list: addresses that bounced (no mail at all) or unsubscribed (no invitations or reminders). */
@ApiTags('deliveries')
@OrganizerOnly()
@Controller('api/suppressions')
export class SuppressionsController {
  constructor(
    private readonly suppressions: SuppressionsService,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  @ApiOkResponse({ type: [SuppressionView] })
  async list(): Promise<SuppressionView[]> {
    return (await this.suppressions.list()).map((suppression) => SuppressionView.of(suppression));
  }

  @Post()
  @ApiOperation({ summary: 'Stop mail to an address by hand', description: 'Recorded as `manual` with the reason and who added it.' })
  @ApiCreatedResponse({ type: SuppressionView })
  @ApiBadRequestResponse({ description: 'The address, scope or reason is not valid (the message names the field)' })
  @ApiConflictResponse({ description: 'The address is suppressed already' })
  async add(@Body() dto: AddSuppressionDto, @Req() request: Request): Promise<SuppressionView> {
    await this.suppressions.addManually(dto.email, dto.scope, dto.reason, principalOf(request)?.actor ?? 'system');
    await this.audit.recordFor(request, 'suppression.add', dto.email.toLowerCase(), { scope: dto.scope });
    return SuppressionView.of((await this.suppressions.find(dto.email))!);
  }

  @Delete(':email')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Lift a suppression',
    description: 'A cluster organizer may lift a bounce or an entry added by hand; an unsubscribe only a federation admin (the person asked).',
  })
  @ApiNoContentResponse({ description: 'The address gets mail again' })
  @ApiForbiddenResponse({ description: 'An unsubscribe, and the organizer is not an admin' })
  @ApiNotFoundResponse({ description: 'The address is not suppressed' })
  async lift(@Param('email', new EmailParam()) email: string, @Req() request: Request): Promise<void> {
    await this.suppressions.lift(email, principalOf(request));
    await this.audit.recordFor(request, 'suppression.remove', email);
  }
}
