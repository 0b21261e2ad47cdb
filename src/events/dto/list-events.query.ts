import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Validate } from 'class-validator';
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
}
