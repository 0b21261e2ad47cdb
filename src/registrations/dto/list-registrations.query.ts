import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { CLUSTER_CODES, ClusterCode } from '../../config/cluster-codes';
import { REGISTRATION_STATUSES, RegistrationStatus } from '../entities/registration.entity';

/** Filters and a keyset page of an event's registrations, in the order they were made. */
export class ListRegistrationsQuery {
  @ApiPropertyOptional({ enum: REGISTRATION_STATUSES, description: 'only the registrations in this state' })
  @IsOptional()
  @IsIn(REGISTRATION_STATUSES, { message: `status must be one of ${REGISTRATION_STATUSES.join(', ')}` })
  status?: RegistrationStatus;

  @ApiPropertyOptional({ enum: CLUSTER_CODES, description: 'only the registrants counting for this cluster' })
  @IsOptional()
  @IsIn(CLUSTER_CODES, { message: `cluster must be one of ${CLUSTER_CODES.join(', ')}` })
  cluster?: ClusterCode;

  @ApiPropertyOptional({ description: 'part of the name, company or email (case-insensitive)', maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'q must be text' })
  @MaxLength(200, { message: 'q must be at most 200 characters' })
  q?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, description: 'at most this many; absent: all of them' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be between 1 and 500' })
  @Max(500, { message: 'limit must be between 1 and 500' })
  limit?: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'the id of the last registration of the previous page (the `Link: rel="next"` header gives the next page)',
  })
  @IsOptional()
  @IsUUID('all', { message: 'after must be the id of a registration of this event' })
  after?: string;
}
