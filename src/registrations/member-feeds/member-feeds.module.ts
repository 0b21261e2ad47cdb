import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '../../calendar/calendar.module';
import { DirectoryModule } from '../../directory/directory.module';
import { EventsModule } from '../../events/events.module';
import { RegistrationsDataModule } from '../registrations-data.module';
import { MemberFeed } from './member-feed.entity';
import { MemberFeedController, MemberFeedsController } from './member-feeds.controller';
import { MemberFeedsService } from './member-feeds.service';

/** A member's personal calendar feed of the events they are confirmed for (POST /api/members/:id/feed, GET /feeds/:token.ics). */
@Module({
  imports: [TypeOrmModule.forFeature([MemberFeed]), CalendarModule, DirectoryModule, EventsModule, RegistrationsDataModule],
  controllers: [MemberFeedsController, MemberFeedController],
  providers: [MemberFeedsService],
})
export class MemberFeedsModule {}
