import type { Request } from 'express';
import type { TemplateLocale } from '../../common/templates/template-renderer.service';

/** Pages speak Korean unless asked otherwise: `?lang=en`, or a browser whose first language is English. */
export function pageLocale(request: Request): TemplateLocale {
  const asked = request.query.lang;
  if (asked === 'en' || asked === 'ko') return asked;
  const accept = request.headers['accept-language'];
  return typeof accept === 'string' && /^\s*en\b/i.test(accept) ? 'en' : 'ko';
}
