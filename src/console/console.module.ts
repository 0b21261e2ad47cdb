import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { EventsModule } from '../events/events.module';
import { LinkTokensModule } from '../link-tokens/link-tokens.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RegistrationsDataModule } from '../registrations/registrations-data.module';
import { AuditPageController } from './audit-page.controller';
import { ComingSoonController } from './coming-soon.controller';
import { ConsoleAdminGuard, ConsoleExceptionFilter, ConsoleSessionGuard } from './console-access';
import { ConsolePages } from './console-pages';
import { ConsoleCsrf, ConsoleCsrfGuard } from './csrf';
import { DashboardController } from './dashboard.controller';
import { MembersPageController } from './members/members-page.controller';
import { OrganizersPageController } from './organizers-page.controller';
import { RequestSignIn } from './sign-in/request-sign-in';
import { SignInController } from './sign-in/sign-in.controller';
import { SignInWithLink } from './sign-in/sign-in-with-link';
import { SignOutController } from './sign-in/sign-out.controller';
import { TokensPageController } from './tokens-page.controller';

/**
 * The organizer console's pages (CONSOLE.md): sign-in by emailed link, the session, CSRF on every
 * form, the frame with the top bar, and the accounts pages. It sits on top of the modules whose
 * services it shows (auth, events, directory, notifications, link-tokens) and owns no table.
 */
@Module({
  imports: [EventsModule, DirectoryModule, NotificationsModule, LinkTokensModule, RegistrationsDataModule],
  controllers: [
    SignInController,
    SignOutController,
    DashboardController,
    OrganizersPageController,
    TokensPageController,
    AuditPageController,
    MembersPageController,
    ComingSoonController,
  ],
  providers: [ConsolePages, ConsoleCsrf, ConsoleCsrfGuard, ConsoleSessionGuard, ConsoleAdminGuard, ConsoleExceptionFilter, RequestSignIn, SignInWithLink],
})
export class ConsoleModule {}
