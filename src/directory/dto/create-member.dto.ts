import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, MaxLength } from 'class-validator';
import { SingleLineText } from '../../common/validation/single-line';
import { CLUSTER_CODES, ClusterCode } from '../cluster-codes';
import { Locale, LOCALES } from '../entities/member.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateMemberDto {
  @ApiProperty({ example: 'minji.kim@example.co.kr' })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an email' })
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: '김민지' })
  @Transform(trim)
  @SingleLineText()
  name: string;

  @ApiProperty({ example: '한빛소프트' })
  @Transform(trim)
  @SingleLineText()
  company: string;

  @ApiProperty({ enum: CLUSTER_CODES })
  @IsIn(CLUSTER_CODES, { message: `clusterCode must be one of ${CLUSTER_CODES.join(', ')}` })
  clusterCode: ClusterCode;

  @ApiPropertyOptional({ enum: LOCALES, default: 'ko' })
  @IsOptional()
  @IsIn(LOCALES, { message: 'locale must be ko or en' })
  locale?: Locale;
}
