import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsEmail, IsIn, IsOptional, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { SingleLineText } from '../../common/validation/single-line';
import { Trimmed, TrimmedOrAbsent } from '../../common/validation/trimmed';
import { CLUSTER_CODES, ClusterCode } from '../../config/cluster-codes';
import { OrganizerRole } from '../principal';
import { OrganizerRecord } from './organizer-accounts.repository';

const ROLES: OrganizerRole[] = ['admin', 'cluster_organizer'];

export class CreateOrganizerDto {
  @ApiProperty({ example: 'dc-office@park.example' })
  @Trimmed()
  @IsEmail({}, { message: 'email must be an email' })
  @MaxLength(320)
  email: string;

  @ApiPropertyOptional({ example: '박서연' })
  @IsOptional()
  @TrimmedOrAbsent()
  @SingleLineText()
  name?: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role: OrganizerRole;

  @ApiPropertyOptional({ enum: CLUSTER_CODES, isArray: true, description: 'required for a cluster_organizer: the clusters they act for' })
  @ValidateIf((dto: CreateOrganizerDto) => dto.role === 'cluster_organizer' || dto.clusters !== undefined)
  @IsArray({ message: 'clusters must be an array of cluster codes (at least one for a cluster_organizer)' })
  @ArrayMaxSize(CLUSTER_CODES.length)
  @ArrayUnique({ message: 'clusters must not repeat a cluster' })
  @IsIn(CLUSTER_CODES, { each: true, message: `each value in clusters must be one of ${CLUSTER_CODES.join(', ')}` })
  clusters?: ClusterCode[];
}

export class CreateApiTokenDto {
  @ApiProperty({ example: 'nightly member sync' })
  @Trimmed()
  @SingleLineText(100)
  name: string;

  @ApiPropertyOptional({ description: 'admins only: make the token for another organizer' })
  @IsOptional()
  @IsUUID('all', { message: 'organizerId must be an organizer id (a UUID)' })
  organizerId?: string;
}

export class OrganizerView {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiPropertyOptional({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ enum: ROLES }) role: OrganizerRole;
  @ApiProperty({ enum: CLUSTER_CODES, isArray: true }) clusters: ClusterCode[];
  @ApiProperty() createdAt: Date;

  static of(record: OrganizerRecord): OrganizerView {
    return Object.assign(new OrganizerView(), {
      id: record.id,
      email: record.email,
      name: record.name,
      role: record.role,
      clusters: record.clusters,
      createdAt: record.createdAt,
    });
  }
}
