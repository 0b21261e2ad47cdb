import { PartialType } from '@nestjs/swagger';
import { CreateEventDto } from './create-event.dto';

/** Every field of creation, each optional. Clearing an optional field is done by sending null (see UpdateEvent). */
export class UpdateEventDto extends PartialType(CreateEventDto) {}
