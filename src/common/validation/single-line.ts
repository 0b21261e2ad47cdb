import { applyDecorators } from '@nestjs/common';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

/**
 * A short, single-line text such as a person's or company's name. CR/LF and other control
 * characters are refused so a name can never split a mail header; any other Unicode is kept as given.
 */
export function SingleLineText(maxLength = 200): PropertyDecorator {
  return applyDecorators(
    IsString(),
    IsNotEmpty(),
    MaxLength(maxLength),
    // eslint-disable-next-line no-control-regex
    Matches(/^[^\u0000-\u001f\u007f]*$/u, { message: '$property must be a single line without control characters' }),
  );
}
