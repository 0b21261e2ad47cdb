import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { CLUSTER_CODES, ClusterCode } from '../../config/cluster-codes';

export class SendInvitationsDto {
  @ApiPropertyOptional({ enum: CLUSTER_CODES, isArray: true, description: "default: the event's audience clusters" })
  @IsOptional()
  @IsArray()
  @ArrayUnique({ message: 'clusters must not repeat a cluster' })
  @IsIn(CLUSTER_CODES, { each: true, message: `each value in clusters must be one of ${CLUSTER_CODES.join(', ')}` })
  clusters?: ClusterCode[];

  @ApiPropertyOptional({ isArray: true, type: String, description: 'members to invite besides the clusters' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @ArrayUnique({ message: 'memberIds must not repeat an id' })
  @IsUUID('all', { each: true, message: 'each value in memberIds must be a UUID' })
  memberIds?: string[];

  @ApiPropertyOptional({
    isArray: true,
    type: String,
    description: "SIGs whose companies' members to invite; with sigs and no clusters, only they (and memberIds) are invited",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique({ message: 'sigs must not repeat an id' })
  @IsUUID('all', { each: true, message: 'each value in sigs must be a UUID' })
  sigs?: string[];

  @ApiPropertyOptional({ default: false, description: 'invite again members who were already invited' })
  @IsOptional()
  @IsBoolean({ message: 'resend must be true or false' })
  resend?: boolean;
}
