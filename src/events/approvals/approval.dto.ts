import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, ValidateIf } from 'class-validator';
import { CLUSTER_CODES } from '../../config/cluster-codes';
import { SingleLineText } from '../../common/validation/single-line';
import { TrimmedOrAbsent } from '../../common/validation/trimmed';

export class DecideApprovalDto {
  @ApiProperty({ enum: CLUSTER_CODES, description: 'the co-host cluster you decide for' })
  @IsIn(CLUSTER_CODES, { message: `cluster must be one of ${CLUSTER_CODES.join(', ')}` })
  cluster: string;

  @ApiProperty({ enum: ['approve', 'decline'] })
  @IsIn(['approve', 'decline'], { message: 'decision must be approve or decline' })
  decision: 'approve' | 'decline';

  @ApiPropertyOptional({ description: 'why, when declining (required then)', maxLength: 500 })
  @TrimmedOrAbsent()
  @ValidateIf((dto: DecideApprovalDto) => dto.decision === 'decline' || dto.reason !== undefined)
  @SingleLineText(500)
  reason?: string;
}

export class ApprovalView {
  @ApiProperty({ enum: CLUSTER_CODES }) cluster: string;
  @ApiProperty({ enum: ['pending', 'approved', 'declined'] }) status: string;
  @ApiPropertyOptional({ type: String, nullable: true }) reason: string | null;
}
