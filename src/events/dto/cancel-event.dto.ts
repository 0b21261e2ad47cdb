import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class CancelEventDto {
  @ApiPropertyOptional({ description: 'shown to registrants in the cancellation email' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}
