import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueModule } from '../queue/queue.module';
import { DevOutboxController } from './dev-outbox.controller';
import { OutboxMessage } from './outbox/outbox-message.entity';
import { OutboxRelay } from './outbox/outbox-relay.service';
import { OutboxService } from './outbox/outbox.service';

/** The outbox: services write mails to send in their own transactions; the relay hands them to the queue. */
@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage]), QueueModule],
  controllers: [DevOutboxController],
  providers: [OutboxService, OutboxRelay],
  exports: [OutboxService],
})
export class NotificationsModule {}
