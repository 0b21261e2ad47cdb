import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { SingleLineText } from '../../common/validation/single-line';
import { Trimmed } from '../../common/validation/trimmed';
import { CLUSTER_CODES, ClusterCode } from '../../config/cluster-codes';
import { Keywords } from '../../common/validation/keywords';

export class CreateSigDto {
  @ApiProperty({ example: 'AI 콘텐츠 융합 SIG' })
  @Trimmed()
  @SingleLineText()
  name: string;

  @ApiPropertyOptional({ example: '생성형 AI로 콘텐츠를 만드는 기업들의 모임' })
  @Trimmed()
  @IsOptional()
  @IsString({ message: 'description must be text' })
  @MaxLength(4000)
  description?: string;

  @ApiPropertyOptional({ type: [String], example: ['AI', '콘텐츠'] })
  @Keywords()
  keywords?: string[];

  @ApiProperty({ enum: CLUSTER_CODES, isArray: true, description: 'the clusters it spans; two or more make it a convergence SIG' })
  @IsArray({ message: 'clusters must be an array of cluster codes' })
  @ArrayMinSize(1, { message: 'clusters must name at least one cluster' })
  @ArrayUnique({ message: 'clusters must not repeat a cluster' })
  @IsIn(CLUSTER_CODES, { each: true, message: `each value in clusters must be one of ${CLUSTER_CODES.join(', ')}` })
  clusters: ClusterCode[];
}

export class AddSigCompaniesDto {
  @ApiProperty({ type: [String], description: "companies to add (those already in the SIG stay); each of one of the SIG's clusters" })
  @IsArray({ message: 'companyIds must be an array of ids' })
  @ArrayMinSize(1, { message: 'companyIds must name at least one company' })
  @ArrayMaxSize(1000)
  @ArrayUnique({ message: 'companyIds must not repeat an id' })
  @IsUUID('all', { each: true, message: 'each value in companyIds must be a UUID' })
  companyIds: string[];
}
