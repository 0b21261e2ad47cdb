import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, MaxLength } from 'class-validator';
import { SingleLineText } from '../../common/validation/single-line';
import { Trimmed, TrimmedOrAbsent } from '../../common/validation/trimmed';

/** A registration from the public event page or API; the same DTO validates the JSON body and the HTML form. */
export class RegisterDto {
  @ApiProperty({ example: 'jisoo.park@example.com' })
  @Trimmed()
  @IsEmail({}, { message: 'email must be an email' })
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: '박지수' })
  @Trimmed()
  @SingleLineText()
  name: string;

  @ApiPropertyOptional({ example: '그린에너지랩' })
  @IsOptional()
  @TrimmedOrAbsent()
  @SingleLineText()
  company?: string;
}
