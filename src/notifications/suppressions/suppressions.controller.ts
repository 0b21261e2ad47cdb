import { BadRequestException, Controller, Delete, Get, HttpCode, Param, PipeTransform } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { isEmail } from 'class-validator';
import { OrganizerOnly } from '../../auth/organizer-auth';
import { MailSuppression } from './mail-suppression.entity';
import { SuppressionsService } from './suppressions.service';

export class SuppressionView {
  @ApiProperty({ example: 'bounce@nowhere.example' }) email: string;
  @ApiProperty({ enum: ['bounce', 'unsubscribe'] }) reason: string;
  @ApiProperty({ enum: ['all', 'non_essential'], description: '`non_essential`: no invitations or reminders; other mail still goes out' }) scope: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'the SMTP reply of the bounce' }) detail: string | null;
  @ApiProperty() createdAt: Date;

  static of(row: MailSuppression): SuppressionView {
    return Object.assign(new SuppressionView(), { email: row.email, reason: row.reason, scope: row.scope, detail: row.detail, createdAt: row.createdAt });
  }
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
  constructor(private readonly suppressions: SuppressionsService) {}

  @Get()
  @ApiOperation({ summary: 'List suppressed addresses (bounces and unsubscribes)' })
  @ApiOkResponse({ type: [SuppressionView] })
  async list(): Promise<SuppressionView[]> {
    return (await this.suppressions.list()).map((suppression) => SuppressionView.of(suppression));
  }

  @Delete(':email')
  @ApiOperation({ summary: 'Lift the suppression of an address' })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The address gets mail again' })
  @ApiNotFoundResponse({ description: 'The address is not suppressed' })
  async lift(@Param('email', new EmailParam()) email: string): Promise<void> {
    await this.suppressions.lift(email);
  }
}
