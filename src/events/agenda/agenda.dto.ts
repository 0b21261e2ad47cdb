import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { AGENDA_NAME_MAX, AGENDA_TITLE_MAX, readAgenda } from './agenda';

/** One session of the programme (the OpenAPI shape; the rules are readAgenda's). */
export class AgendaItemDto {
  @ApiProperty({ example: '2027-03-10T14:10:00+09:00', description: 'inside the event, not before the previous session' })
  startsAt: string;

  @ApiPropertyOptional({ example: '2027-03-10T14:50:00+09:00', nullable: true, description: 'after startsAt, at or before the end of the event' })
  endsAt?: string | null;

  @ApiProperty({ example: '생성형 AI와 콘텐츠 제작', maxLength: AGENDA_TITLE_MAX })
  title: string;

  @ApiPropertyOptional({ example: '김민지', maxLength: AGENDA_NAME_MAX, nullable: true })
  speaker?: string | null;

  @ApiPropertyOptional({ example: '한빛소프트', maxLength: AGENDA_NAME_MAX, nullable: true })
  affiliation?: string | null;
}

/**
 * Checks the agenda's shape with readAgenda, so the message names the row and field
 * (`agenda[2].startsAt must be …`) where class-validator's nested messages would say `agenda.2.startsAt`.
 */
@ValidatorConstraint({ name: 'agenda' })
export class AgendaShape implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return readAgenda(value).problems.length === 0;
  }

  defaultMessage(args: ValidationArguments): string {
    return readAgenda(args.value)
      .problems.map((problem) => `${problem.field} ${problem.reason}`)
      .join('; ');
  }
}
