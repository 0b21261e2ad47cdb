import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '../calendar/calendar.module';
import { DirectoryModule } from '../directory/directory.module';
import { EventsModule } from '../events/events.module';
import { LinkTokensModule } from '../link-tokens/link-tokens.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { Registration } from './entities/registration.entity';
import { EventPagesController } from './pages/event-pages.controller';
import { LinkPagesController } from './pages/link-pages.controller';
import { RegistrationsController } from './registrations.controller';
import { RegistrationsDataModule } from './registrations-data.module';
import { RegistrationsReader } from './registrations.reader';
import { Seats } from './seats/seats';
import { AnswerLink } from './use-cases/answer-link';
import { CancelRegistration } from './use-cases/cancel-registration';
import { ConfirmSeat } from './use-cases/confirm-seat';
import { PromoteFromWaitlist } from './use-cases/promote-from-waitlist';
import { RegisterPublicly } from './use-cases/register-publicly';
import { AnonymiseExpired } from './use-cases/anonymise-expired';
import { ReleaseQuotas } from './use-cases/release-quotas';
import { SendInvitations } from './use-cases/send-invitations';
import { EventChangeNoticesService } from './event-change-notices.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Registration]),
    EventsModule,
    DirectoryModule,
    LinkTokensModule,
    NotificationsModule,
    CalendarModule,
    RegistrationsDataModule,
  ],
  controllers: [RegistrationsController, EventPagesController, LinkPagesController],
  providers: [
    RegistrationsReader,
    Seats,
    SendInvitations,
    RegisterPublicly,
    AnswerLink,
    ConfirmSeat,
    CancelRegistration,
    PromoteFromWaitlist,
    ReleaseQuotas,
    AnonymiseExpired,
    EventChangeNoticesService,
  ],
  exports: [ReleaseQuotas, AnonymiseExpired, SendInvitations, RegistrationsReader, CancelRegistration, PromoteFromWaitlist],
})
export class RegistrationsModule {}
