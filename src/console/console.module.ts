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
import { ApprovalsPageController } from './approvals/approvals-page.controller';
import { PendingApprovalsInterceptor } from './approvals/pending-approvals.interceptor';
import { ConsoleEventScopeGuard } from './events/console-event-scope';
import { EventFormPageController } from './events/event-form-page.controller';
import { EventOverviewPageController } from './events/event-overview-page.controller';
import { EventsPageController } from './events/events-page.controller';
import { AuditPageController } from './audit-page.controller';
import { ComingSoonController } from './coming-soon.controller';
import { ConsoleAdminGuard, ConsoleExceptionFilter, ConsoleSessionGuard } from './console-access';
import { ConsolePages } from './console-pages';
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
 * form, the frame with the top bar, the accounts pages, the events and approvals pages, the
 * invitations, registrations, deliveries and suppressions pages, SIGs and reports. It sits on top
 * of the modules whose services it shows and owns no table.
 */
@Module({
  imports: [
    EventsModule,
    DirectoryModule,
    NotificationsModule,
    LinkTokensModule,
    ReportsModule,
    RegistrationsModule,
    RegistrationsDataModule,
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
    EventsPageController,
    // Before the overview: `/console/events/new` is not an event's id.
    EventFormPageController,
    EventOverviewPageController,
    ApprovalsPageController,
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
    ConsoleAdminGuard,
    ConsoleExceptionFilter,
    ConsoleEventScopeGuard,
    PendingApprovalsInterceptor,
    RequestSignIn,
    SignInWithLink,
  ],
})
export class ConsoleModule {}
