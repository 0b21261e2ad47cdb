import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class CancelEventDto {
  @ApiPropertyOptional({ description: 'shown to registrants in the cancellation email' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  // PostgreSQL cannot store U+0000 in text: refused here, or the update fails with a 500.
  // eslint-disable-next-line no-control-regex
  @Matches(/^[^\u0000]*$/u, { message: '$property must not contain NUL characters' })
  reason?: string;
}
