import { SingleLineText } from '../../common/validation/single-line';
import { Trimmed } from '../../common/validation/trimmed';

/** A door link for one event's door staff, named for whom it is (what the list and the audit log show). */
export class CreateDoorLinkDto {
  @Trimmed()
  @SingleLineText(200)
  label: string;
}
