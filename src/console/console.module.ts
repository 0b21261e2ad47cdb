import { BadRequestException, MiddlewareConsumer, Module, NestModule, PayloadTooLargeException, RequestMethod } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { BodiesModule } from '../bodies/bodies.module';
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
import { ConsoleAdminGuard, ConsoleExceptionFilter, ConsoleSessionGuard } from './console-access';
import { ConsolePages } from './console-pages';
import { ConsoleCsrf, ConsoleCsrfGuard } from './csrf';
import { DashboardController } from './dashboard.controller';
import { DeliveriesOverviewPageController, EventDeliveriesPageController } from './deliveries/deliveries-page.controller';
import { InvitationsPageController } from './invitations/invitations-page.controller';
import { DoorAccessGuard, DoorOrganizerGuard } from './door/door-access';
import { DoorPageController } from './door/door-page.controller';
import { DoorSignInController } from './door/door-sign-in.controller';
import { IMPORT_FILE_FIELD, MemberImportPageController } from './members/member-import-page.controller';
import { CompaniesPageController } from './members/companies-page.controller';
import { MembersPageController } from './members/members-page.controller';
import { OrganizersPageController } from './organizers-page.controller';
import { RegistrationsPageController } from './registrations/registrations-page.controller';
import { ReportsPageController } from './reports-page.controller';
import { SigsPageController } from './sigs-page.controller';
import { BodiesPagesController } from './bodies/bodies-pages.controller';
import { BodyPageViews } from './bodies/body-page-views';
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
    BodiesModule,
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
    BodiesPagesController,
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
    // Before MembersPageController: its /console/members/:id would take /console/members/import.
    MemberImportPageController,
    CompaniesPageController,
    MembersPageController,
    DoorPageController,
    DoorSignInController,
  ],
  providers: [
    ConsolePages,
    BodyPageViews,
    ConsoleCsrf,
    ConsoleCsrfGuard,
    ConsoleSessionGuard,
    ConsoleAdminGuard,
    ConsoleExceptionFilter,
    ConsoleEventScopeGuard,
    PendingApprovalsInterceptor,
    RequestSignIn,
    SignInWithLink,
    DoorAccessGuard,
    DoorOrganizerGuard,
  ],
})
export class ConsoleModule implements NestModule {
  /**
   * The member import's upload is a multipart form, read here, before the guards: the CSRF guard
   * finds its token among the form's fields (an interceptor would read the form only after it).
   * The file stays in memory, as the JSON import's body does, within the same 10 MB.
   */
  configure(consumer: MiddlewareConsumer): void {
    // defParamCharset: browsers send a file name as UTF-8 bytes (WHATWG HTML), not the latin1 busboy assumes.
    const upload = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: MEMBER_FILE_LIMIT, files: 1, fields: 10 } }).single(
      IMPORT_FILE_FIELD,
    );
    consumer
      .apply((request: Request, response: Response, next: NextFunction) =>
        upload(request, response, (error?: unknown) => {
          if (!(error instanceof multer.MulterError)) return next(error);
          next(
            error.code === 'LIMIT_FILE_SIZE'
              ? new PayloadTooLargeException([`file must be at most ${MEMBER_FILE_LIMIT / 1024 / 1024} MB`])
              : new BadRequestException([`the form must carry one CSV file in the field ${IMPORT_FILE_FIELD} (${error.message})`]),
          );
        }),
      )
      .forRoutes({ path: 'console/members/import', method: RequestMethod.POST });
  }
}

/** As POST /api/members/import's body limit (bootstrap.ts). */
const MEMBER_FILE_LIMIT = 10 * 1024 * 1024;
