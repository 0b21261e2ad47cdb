import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { principalOf } from '../auth/principal';
import type { Locale } from '../common/templates/locales';
import type { StringTable } from '../common/templates/string-table';
import { TemplateRenderer } from '../common/templates/template-renderer.service';
import { consoleLocale, languageUrl } from './console-locale';
import { ConsoleCsrf } from './csrf';
import { takeFlash } from './flash';
import { pendingApprovalsOf } from './approvals/pending-approvals.interceptor';

/** The areas of the top bar (CONSOLE.md, Navigation); the page being shown is marked current. */
export type ConsoleSection =
  'dashboard' | 'events' | 'approvals' | 'members' | 'deliveries' | 'suppressions' | 'sigs' | 'reports' | 'organizers' | 'tokens' | 'audit' | 'sign-in';

/**
 * Renders console pages: `pages/<name>.hbs` in the shared layout, which draws the console's top
 * bar when the context holds `console` (who is signed in, the current area, the language links,
 * the CSRF token for the forms, the flash message of the last change). Console pages are never
 * cached and never indexed.
 */
@Injectable()
export class ConsolePages {
  constructor(
    private readonly templates: TemplateRenderer,
    private readonly csrf: ConsoleCsrf,
  ) {}

  locale(request: Request, response: Response): Locale {
    return consoleLocale(request, response);
  }

  strings(request: Request, response: Response): StringTable {
    return this.templates.strings(this.locale(request, response));
  }

  render(
    request: Request,
    response: Response,
    name: string,
    context: { title: string; section?: ConsoleSection; [field: string]: unknown },
    status = 200,
  ): void {
    const locale = this.locale(request, response);
    const strings = this.templates.strings(locale);
    const principal = principalOf(request);
    const signedIn = principal?.via === 'session';
    const frame = {
      section: context.section ?? null,
      signedIn,
      email: signedIn ? principal.actor : null,
      clusters: signedIn && principal.clusters.length > 0 ? principal.clusters.join(' · ') : null,
      isAdmin: signedIn && principal.role === 'admin',
      pendingApprovals: pendingApprovalsOf(request),
      csrf: this.csrf.token(request, response),
      flash: takeFlash(request, response, strings),
      koUrl: languageUrl(request, 'ko'),
      enUrl: languageUrl(request, 'en'),
    };
    response.setHeader('X-Robots-Tag', 'noindex');
    response.setHeader('Cache-Control', 'no-store');
    response
      .status(status)
      .type('html')
      .send(this.templates.renderPage(locale, name, { ...context, console: frame }));
  }
}
