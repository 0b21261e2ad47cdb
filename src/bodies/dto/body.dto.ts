import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBase64, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { SingleLineText } from '../../common/validation/single-line';
import { Trimmed } from '../../common/validation/trimmed';
import { CLUSTER_CODES, ClusterCode } from '../../config/cluster-codes';

export const BODY_KINDS = ['committee', 'steering_group'] as const;
export type BodyKind = (typeof BODY_KINDS)[number];

/** A minutes file is kept in the database: small documents, not recordings. */
export const MINUTES_FILE_MAX_BYTES = 512 * 1024;
/**
 * Document types minutes come in. Served back only as a download (attachment, nosniff), never
 * shown inline, so an uploaded file cannot run as a page of this site.
 */
export const MINUTES_FILE_TYPES = [
  'application/pdf',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/msword',
  'application/x-hwp',
  'application/haansofthwp',
  'application/vnd.hancom.hwpx',
  'image/png',
  'image/jpeg',
] as const;

export class CreateBodyDto {
  @ApiProperty({ example: '클러스터 공동 운영위원회' })
  @Trimmed()
  @SingleLineText()
  name: string;

  @ApiProperty({ enum: BODY_KINDS, description: "committee: the joint operating committee and the like; steering_group: a SIG's" })
  @IsIn(BODY_KINDS, { message: `kind must be one of ${BODY_KINDS.join(', ')}` })
  kind: BodyKind;

  @ApiPropertyOptional({ description: 'the SIG a steering group steers' })
  @IsOptional()
  @IsUUID('all', { message: 'sigId must be a UUID' })
  sigId?: string;
}

export class SeatDto {
  @ApiProperty({ example: 'ICT 클러스터' })
  @Trimmed()
  @SingleLineText(100)
  label: string;

  @ApiPropertyOptional({ enum: CLUSTER_CODES, description: 'a seat for a cluster; give this or companyId' })
  @IsOptional()
  @IsIn(CLUSTER_CODES, { message: `cluster must be one of ${CLUSTER_CODES.join(', ')}` })
  cluster?: ClusterCode;

  @ApiPropertyOptional({ description: 'a seat for a company; give this or cluster' })
  @IsOptional()
  @IsUUID('all', { message: 'companyId must be a UUID' })
  companyId?: string;

  @ApiProperty({ description: "the member holding the seat: of the seat's cluster, or of its company" })
  @IsUUID('all', { message: 'delegateId must be a UUID' })
  delegateId: string;

  @ApiPropertyOptional({
    nullable: true,
    description: "the member invited when the delegate declines a meeting; as the delegate, of the seat's cluster or company",
  })
  @IsOptional()
  @IsUUID('all', { message: 'substituteId must be a UUID' })
  substituteId?: string | null;
}

export class AddMeetingDto {
  @ApiProperty({ description: 'a published, upcoming event (a series occurrence is one): its invitations go to the delegates' })
  @IsUUID('all', { message: 'eventId must be a UUID' })
  eventId: string;
}

export class MinutesFileDto {
  @ApiProperty({ example: '제3차 운영위원회 회의록.pdf' })
  @Trimmed()
  @SingleLineText(200)
  // A file name never carries a path or quotes into the Content-Disposition header.
  @Matches(/^[^/\\"]+$/u, { message: 'file.name must not contain /, \\ or "' })
  name: string;

  @ApiProperty({ enum: MINUTES_FILE_TYPES })
  @IsIn(MINUTES_FILE_TYPES, { message: `file.contentType must be one of ${MINUTES_FILE_TYPES.join(', ')}` })
  contentType: string;

  @ApiProperty({ description: `the file's bytes in base64, at most ${MINUTES_FILE_MAX_BYTES} bytes once decoded` })
  @IsString({ message: 'file.contentBase64 must be base64 text' })
  @MinLength(1, { message: 'file.contentBase64 must not be empty' })
  // Base64 is 4/3 of the bytes: anything longer is over the limit before decoding.
  @MaxLength(Math.ceil(MINUTES_FILE_MAX_BYTES / 3) * 4, { message: `file.contentBase64 must decode to at most ${MINUTES_FILE_MAX_BYTES} bytes` })
  @IsBase64({}, { message: 'file.contentBase64 must be base64' })
  contentBase64: string;
}

export class MinutesDto {
  @ApiProperty({ example: '1. 2027년 공동 세미나 일정 확정 …' })
  @IsString({ message: 'text must be text' })
  @MinLength(1, { message: 'text must not be empty' })
  @MaxLength(100_000)
  // PostgreSQL cannot store U+0000 in text: refused here, or the insert fails with a 500.
  // eslint-disable-next-line no-control-regex
  @Matches(/^[^\u0000]*$/u, { message: 'text must not contain NUL characters' })
  text: string;

  @ApiPropertyOptional({ type: MinutesFileDto, description: 'an optional document; posting minutes again replaces text and file' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MinutesFileDto)
  file?: MinutesFileDto;
}
