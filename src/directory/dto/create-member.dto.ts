import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, MaxLength } from 'class-validator';
import { SingleLineText } from '../../common/validation/single-line';
import { CLUSTER_CODES, ClusterCode } from '../../config/cluster-codes';
import { Trimmed } from '../../common/validation/trimmed';
import { DEFAULT_LOCALE, Locale, LOCALES } from '../../common/templates/locales';

export class CreateMemberDto {
  @ApiProperty({ example: 'minji.kim@example.co.kr' })
  @Trimmed()
  @IsEmail({}, { message: 'email must be an email' })
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: '김민지' })
  @Trimmed()
  @SingleLineText()
  name: string;

  @ApiProperty({ example: '한빛소프트' })
  @Trimmed()
  @SingleLineText()
  company: string;

  @ApiProperty({ enum: CLUSTER_CODES })
  @IsIn(CLUSTER_CODES, { message: `clusterCode must be one of ${CLUSTER_CODES.join(', ')}` })
  clusterCode: ClusterCode;

  @ApiPropertyOptional({ enum: LOCALES, default: DEFAULT_LOCALE })
  @IsOptional()
  @IsIn(LOCALES, { message: `locale must be ${LOCALES.slice(0, -1).join(', ')} or ${LOCALES[LOCALES.length - 1]}` })
  locale?: Locale;
}
