import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module';
import { LinkToken } from './link-token.entity';
import { LinkTokensService } from './link-tokens.service';

/**
 * Tokens for emailed links. Its own module because registrations (confirm, accept), the mail
 * worker (which mints them as it renders) and, later, console sign-in all need the one service.
 */
@Module({
  imports: [TypeOrmModule.forFeature([LinkToken]), EventsModule],
  providers: [LinkTokensService],
  exports: [LinkTokensService],
})
export class LinkTokensModule {}
