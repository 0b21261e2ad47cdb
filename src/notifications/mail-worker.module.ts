import { DynamicModule, Module, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module';
import { LinkTokensModule } from '../link-tokens/link-tokens.module';
import { QueueModule } from '../queue/queue.module';
import { MailComposerModule } from './mail/mail-composer.module';
import { MailProcessor } from './mail/mail.processor';
import { MailerService } from './mail/mailer.service';
import { NotificationsModule } from './notifications.module';
import { OutboxMessage } from './outbox/outbox-message.entity';
import { OutboxClaimBatcher } from './outbox/outbox-claim-batcher.service';
import { OutboxSentBatcher } from './outbox/outbox-sent-batcher.service';
import { RetentionJob } from './retention.job';

/**
 * The worker side of notifications: renders and sends the outbox rows the queue hands it, and the
 * retention job. Loaded by the worker role only.
 */
@Module({})
export class MailWorkerModule {
  /** `registrations`: a module exporting REGISTRATIONS_PORT (see registrations.port.ts), chosen by AppModule. */
  static with(registrations: Type<unknown>): DynamicModule {
    return {
      module: MailWorkerModule,
      imports: [
        TypeOrmModule.forFeature([OutboxMessage]),
        QueueModule,
        EventsModule,
        LinkTokensModule,
        NotificationsModule,
        MailComposerModule.with(registrations),
      ],
      providers: [MailProcessor, MailerService, OutboxClaimBatcher, OutboxSentBatcher, RetentionJob],
    };
  }
}
