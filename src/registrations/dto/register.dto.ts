import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, MaxLength } from 'class-validator';
import { SingleLineText } from '../../common/validation/single-line';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const emptyToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : trim({ value }));

/** A registration from the public event page or API; the same DTO validates the JSON body and the HTML form. */
export class RegisterDto {
  @ApiProperty({ example: 'jisoo.park@example.com' })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an email' })
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: '박지수' })
  @Transform(trim)
  @SingleLineText()
  name: string;

  @ApiPropertyOptional({ example: '그린에너지랩' })
  @IsOptional()
  @Transform(emptyToUndefined)
  @SingleLineText()
  company?: string;
}
