import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryModule } from '../directory/directory.module';
import { EventsModule } from '../events/events.module';
import { RegistrationsReadModule } from '../registrations/registrations-read.module';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';
import { MemberFeed } from './feeds/member-feed.entity';
import { MemberFeedController, MemberFeedsController } from './feeds/member-feeds.controller';
import { MemberFeedsService } from './feeds/member-feeds.service';

@Module({
  imports: [TypeOrmModule.forFeature([MemberFeed]), DirectoryModule, EventsModule, RegistrationsReadModule],
  controllers: [CalendarController, MemberFeedsController, MemberFeedController],
  providers: [CalendarService, MemberFeedsService],
  exports: [CalendarService],
})
export class CalendarModule {}
