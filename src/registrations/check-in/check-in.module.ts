import { Module } from '@nestjs/common';
import { EventsModule } from '../../events/events.module';
import { CheckInController } from './check-in.controller';
import { CheckInService } from './check-in.service';

/**
 * Check-in at the door and the attendance export (issue 3). CheckInService is exported for the
 * mail worker, which puts each confirmed registrant's code and QR code into their confirmation.
 */
@Module({
  imports: [EventsModule],
  controllers: [CheckInController],
  providers: [CheckInService],
  exports: [CheckInService],
})
export class CheckInModule {}
