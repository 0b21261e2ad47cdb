import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { SingleLineText } from '../../common/validation/single-line';
import { Trimmed } from '../../common/validation/trimmed';
import { CLUSTER_CODES, ClusterCode } from '../../config/cluster-codes';
import { IsBusinessNumber } from './business-number';
import { Keywords, TrimmedEach } from '../../common/validation/keywords';

export class CreateCompanyDto {
  @ApiProperty({ example: '한빛소프트' })
  @Trimmed()
  @SingleLineText()
  name: string;

  @ApiProperty({ enum: CLUSTER_CODES })
  @IsIn(CLUSTER_CODES, { message: `clusterCode must be one of ${CLUSTER_CODES.join(', ')}` })
  clusterCode: ClusterCode;

  @ApiPropertyOptional({ example: '124-81-00998', nullable: true, description: '사업자등록번호: 10 digits, with or without dashes, valid check digit' })
  @IsOptional()
  @IsBusinessNumber()
  businessNumber?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['AI', '빅데이터'] })
  @Keywords()
  keywords?: string[];

  @ApiPropertyOptional({ type: [String], example: ['hanbit.co.kr'], description: 'email domains of its people (a registrant from one counts for its cluster)' })
  @TrimmedEach(true)
  @IsOptional()
  @IsArray({ message: 'emailDomains must be an array of domains' })
  @ArrayMaxSize(20)
  @ArrayUnique({ message: 'emailDomains must not repeat a domain' })
  @IsString({ each: true, message: 'each value in emailDomains must be a domain' })
  @MaxLength(253, { each: true })
  @Matches(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    each: true,
    message: 'each value in emailDomains must be a domain such as example.co.kr',
  })
  emailDomains?: string[];
}

export class UpdateCompanyDto extends PartialType(CreateCompanyDto) {}

export class ListCompaniesQuery {
  @ApiPropertyOptional({ enum: CLUSTER_CODES })
  @IsOptional()
  @IsIn(CLUSTER_CODES, { message: `cluster must be one of ${CLUSTER_CODES.join(', ')}` })
  cluster?: ClusterCode;
}
