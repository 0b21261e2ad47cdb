import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, Validate } from 'class-validator';
import { CLUSTER_CODES, ClusterCode } from '../../config/cluster-codes';
import { IsoDate } from './time.validators';

export class ListEventsQuery {
  @ApiPropertyOptional({ description: 'events ending at or after this instant' })
  @IsOptional()
  @Validate(IsoDate, { message: 'from must be an ISO 8601 date or date-time' })
  from?: string;

  @ApiPropertyOptional({ description: 'events starting before this instant' })
  @IsOptional()
  @Validate(IsoDate, { message: 'to must be an ISO 8601 date or date-time' })
  to?: string;

  @ApiPropertyOptional({ enum: CLUSTER_CODES, description: 'hosted by or open to this cluster' })
  @IsOptional()
  @IsIn(CLUSTER_CODES, { message: `cluster must be one of ${CLUSTER_CODES.join(', ')}` })
  cluster?: ClusterCode;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 100,
    description: 'at most this many events; the next page is in the `Link` (rel="next") and `X-Next-Cursor` headers',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(100, { message: 'limit must be at most 100' })
  limit?: number;

  @ApiPropertyOptional({ description: 'the cursor of the page before (X-Next-Cursor): events after it in the order of their start' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;
}
