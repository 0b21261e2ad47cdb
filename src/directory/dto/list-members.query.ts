import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CLUSTER_CODES, ClusterCode } from '../../config/cluster-codes';

export class ListMembersQuery {
  @ApiPropertyOptional({ enum: CLUSTER_CODES })
  @IsOptional()
  @IsIn(CLUSTER_CODES, { message: `cluster must be one of ${CLUSTER_CODES.join(', ')}` })
  cluster?: ClusterCode;
}
