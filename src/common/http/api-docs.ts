import { applyDecorators } from '@nestjs/common';
import { ApiProduces, ApiResponse } from '@nestjs/swagger';

/**
 * An HTML page in the OpenAPI document: the public pages and emailed-link pages are part of the
 * contract (mail clients and scanners open them), so they are listed with their statuses rather
 * than hidden from the document.
 */
export function ApiHtmlPage(responses: Record<number, string>): MethodDecorator {
  const html = { 'text/html': { schema: { type: 'string' } } };
  return applyDecorators(
    ApiProduces('text/html'),
    ...Object.entries(responses).map(([status, description]) => ApiResponse({ status: Number(status), description, content: html })),
  );
}

/** A 200 whose body is text of one media type (iCalendar, CSV, Prometheus' exposition), not JSON. */
export function ApiOkText(mediaType: string, description: string): MethodDecorator {
  return applyDecorators(ApiProduces(mediaType), ApiResponse({ status: 200, description, content: { [mediaType]: { schema: { type: 'string' } } } }));
}
