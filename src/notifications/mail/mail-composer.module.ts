import { DynamicModule, Module, Type } from '@nestjs/common';
import { CalendarModule } from '../../calendar/calendar.module';
import { DirectoryModule } from '../../directory/directory.module';
import { EventsModule } from '../../events/events.module';
import { LinkTokensModule } from '../../link-tokens/link-tokens.module';
import { MailComposer } from './mail-composer.service';
import { MailFactsReader } from './mail-facts.reader';

/**
 * The mail composer on its own: the worker composes what it sends with it, and the console shows
 * a preview of an invitation with the same one, so a preview is the mail as it will arrive.
 */
@Module({})
export class MailComposerModule {
  /** `registrations`: a module exporting REGISTRATIONS_PORT (see registrations.port.ts). */
  static with(registrations: Type<unknown>): DynamicModule {
    return {
      module: MailComposerModule,
      imports: [CalendarModule, DirectoryModule, EventsModule, LinkTokensModule, registrations],
      providers: [MailComposer, MailFactsReader],
      exports: [MailComposer],
    };
  }
}
