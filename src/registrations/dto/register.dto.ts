import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsObject, IsOptional, MaxLength } from 'class-validator';
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

  @ApiPropertyOptional({
    description:
      'Consent under PIPA: `collection` must be true; `thirdParty` keyed by recipient cluster code (the co-hosts other than the first host); `marketing` optional. Absent: the confirmation link asks for it.',
    example: { collection: true, thirdParty: { DC: true }, marketing: false },
  })
  @IsOptional()
  @IsObject({ message: 'consents must be an object' })
  consents?: unknown;
}
