import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { CLUSTER_CODES, ClusterCode } from '../../config/cluster-codes';

export class QuotaDto {
  @ApiProperty({ enum: CLUSTER_CODES })
  @IsIn(CLUSTER_CODES, { message: `quotas.cluster must be one of ${CLUSTER_CODES.join(', ')}` })
  cluster: ClusterCode;

  @ApiProperty({ minimum: 1 })
  @IsInt({ message: 'quotas.seats must be a whole number' })
  @Min(1, { message: 'quotas.seats must be at least 1' })
  @Max(100_000)
  seats: number;
}
