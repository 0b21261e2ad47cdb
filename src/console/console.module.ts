import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { EventsModule } from '../events/events.module';
import { LinkTokensModule } from '../link-tokens/link-tokens.module';
import { MailComposerModule } from '../notifications/mail/mail-composer.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { CheckInModule } from '../registrations/check-in/check-in.module';
import { RegistrationsDataModule } from '../registrations/registrations-data.module';
import { RegistrationsModule } from '../registrations/registrations.module';
import { ReportsModule } from '../reports/reports.module';
import { AuditPageController } from './audit-page.controller';
import { ComingSoonController } from './coming-soon.controller';
import { ConsoleAdminGuard, ConsoleExceptionFilter, ConsoleSessionGuard } from './console-access';
import { ConsolePages } from './console-pages';
import { ConsoleEventScopeGuard } from './console-event-scope';
import { ConsoleCsrf, ConsoleCsrfGuard } from './csrf';
import { DashboardController } from './dashboard.controller';
import { DeliveriesOverviewPageController, EventDeliveriesPageController } from './deliveries/deliveries-page.controller';
import { InvitationsPageController } from './invitations/invitations-page.controller';
import { OrganizersPageController } from './organizers-page.controller';
import { RegistrationsPageController } from './registrations/registrations-page.controller';
import { ReportsPageController } from './reports-page.controller';
import { SigsPageController } from './sigs-page.controller';
import { RequestSignIn } from './sign-in/request-sign-in';
import { SignInController } from './sign-in/sign-in.controller';
import { SuppressionsPageController } from './suppressions/suppressions-page.controller';
import { SignInWithLink } from './sign-in/sign-in-with-link';
import { SignOutController } from './sign-in/sign-out.controller';
import { TokensPageController } from './tokens-page.controller';

/**
 * The organizer console's pages (CONSOLE.md): sign-in by emailed link, the session, CSRF on every
 * form, the frame with the top bar, and the accounts pages. It sits on top of the modules whose
 * services it shows (auth, events, directory, registrations, notifications, link-tokens, reports) and owns no table.
 */
@Module({
  imports: [
    EventsModule,
    DirectoryModule,
    NotificationsModule,
    LinkTokensModule,
    ReportsModule,
    RegistrationsModule,
    CheckInModule,
    MailComposerModule.with(RegistrationsDataModule),
  ],
  controllers: [
    SignInController,
    SignOutController,
    DashboardController,
    OrganizersPageController,
    TokensPageController,
    AuditPageController,
    ReportsPageController,
    SigsPageController,
    InvitationsPageController,
    RegistrationsPageController,
    EventDeliveriesPageController,
    DeliveriesOverviewPageController,
    SuppressionsPageController,
    ComingSoonController,
  ],
  providers: [
    ConsolePages,
    ConsoleCsrf,
    ConsoleCsrfGuard,
    ConsoleSessionGuard,
    ConsoleEventScopeGuard,
    ConsoleAdminGuard,
    ConsoleExceptionFilter,
    RequestSignIn,
    SignInWithLink,
  ],
})
export class ConsoleModule {}
