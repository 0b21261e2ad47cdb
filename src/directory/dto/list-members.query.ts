import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { CLUSTER_CODES, ClusterCode } from '../../config/cluster-codes';
import { TrimmedOrAbsent } from '../../common/validation/trimmed';

export const MAX_MEMBERS_PAGE = 200;

export class ListMembersQuery {
  @ApiPropertyOptional({ enum: CLUSTER_CODES })
  @IsOptional()
  @IsIn(CLUSTER_CODES, { message: `cluster must be one of ${CLUSTER_CODES.join(', ')}` })
  cluster?: ClusterCode;

  @ApiPropertyOptional({ description: 'part of the name, email or company name, case-insensitive', example: '한빛' })
  @IsOptional()
  @TrimmedOrAbsent()
  @IsString({ message: 'q must be a string' })
  @MaxLength(100, { message: 'q must be at most 100 characters' })
  q?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_MEMBERS_PAGE,
    description: 'page size; with it the answer is one page and, when more follow, a `Link: <…>; rel="next"` header names the next page',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(MAX_MEMBERS_PAGE, { message: `limit must be at most ${MAX_MEMBERS_PAGE}` })
  limit?: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'the id of the last member of the previous page (keyset pagination: pages stay right while members are added)',
  })
  @IsOptional()
  @IsUUID('all', { message: 'after must be a member id (a UUID)' })
  after?: string;
}
