import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { AppConfig } from '../../config/app-config';

/** The pages whose address holds a personal token, or which show personal data: never kept by a browser or proxy cache. */
const PRIVATE_PAGES = /^\/(r|u|feeds|dev|console|admin)(\/|$)/;

/**
 * Helmet's headers on every answer: a Content-Security-Policy that the pages satisfy without any
 * inline script or style (scripts and the stylesheet are files under /assets), nosniff, no
 * framing, and no Referer, so the token in a link page's address never leaks to another site.
 * Swagger UI (/api/docs) inlines its styles and images, so its policy allows those, not scripts;
 * Bull Board (/admin/queues) inlines styles too and resolves its files against a <base> element.
 */
export function securityHeaders(config: AppConfig) {
  const https = config.publicUrl.startsWith('https:');
  const directives = {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
    upgradeInsecureRequests: https ? [] : null,
  };
  const common = {
    referrerPolicy: { policy: 'no-referrer' as const },
    // HSTS only where the site is served over https: on http://localhost it would pin the developer's browser.
    strictTransportSecurity: https,
  };
  const site = helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives } });
  const docs = helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: { ...directives, styleSrc: ["'self'", "'unsafe-inline'"] } } });
  const board = helmet({
    ...common,
    contentSecurityPolicy: { useDefaults: false, directives: { ...directives, styleSrc: ["'self'", "'unsafe-inline'"], baseUri: ["'self'"] } },
  });
  return (request: Request, response: Response, next: NextFunction): void => {
    if (PRIVATE_PAGES.test(request.path)) response.setHeader('Cache-Control', 'no-store');
    const policy = request.path.startsWith('/api/docs') ? docs : request.path.startsWith('/admin/queues') ? board : site;
    policy(request, response, next);
  };
}
