import { INestApplication, Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { json, raw, urlencoded } from 'express';
import { join } from 'node:path';
import { SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from './config/app-config';
import { Metrics } from './common/metrics/metrics.service';
import { checkParsedBody, rejectInvalidUtf8 } from './common/http/parsed-body';
import { requireReadableContentType } from './common/http/content-type';
import { PublicPageCache } from './common/http/public-page-cache';
import { securityHeaders } from './common/http/security-headers';
import { vendorAssets } from './common/http/vendor-assets';
import { GlobalExceptionFilter } from './common/http/global-exception.filter';
import { TemplateRenderer } from './common/templates/template-renderer.service';
import { createValidationPipe } from './common/validation/validate-dto';
import { Clock } from './common/clock';
import { publicRateLimit } from './rate-limit/rate-limit.module';
import { openApiDocument } from './openapi/openapi-document';
import { mountQueueBoard } from './queue-board/queue-board';

/**
 * Everything an HTTP app needs besides its modules: body limits, validation, the error filter,
 * and the OpenAPI document. main.ts and the e2e tests both call it, so tests run
 * what production runs.
 */
export function configureHttpApp(app: NestExpressApplication, config: AppConfig): void {
  // First, so the latency counts every answer (static files, 415s and 413s too).
  app.use(app.get(Metrics).httpTimer());
  // Ahead of helmet, the request log and Nest's routing: a hit answers from memory and does what those would itself.
  const pageCache = new PublicPageCache({ ttlMs: config.publicPageCacheMs, clock: app.get(Clock), admit: publicRateLimit(app, config) });
  app.use(pageCache.middleware());
  app.use(securityHeaders(config));
  app.use(vendorAssets());
  app.useStaticAssets(join(config.templatesDir, 'assets'), { prefix: '/assets/', maxAge: '1h', index: false, fallthrough: false });
  app.use(requireReadableContentType());
  app.use(cookieParser());
  // express's parsers rather than useBodyParser: its options type leaves `verify` out.
  app.use(json({ limit: config.bodyLimit, verify: rejectInvalidUtf8 }));
  app.use(urlencoded({ limit: config.bodyLimit, extended: false, verify: rejectInvalidUtf8 }));
  // Only the member import takes a large CSV body; every other route keeps BODY_LIMIT and reads no text bodies.
  // As bytes: the import decodes them itself, as UTF-8 or as Korean Excel's CP949 (common/http/text-body.ts).
  app.use('/api/members/import', raw({ limit: '10mb', type: ['text/csv', 'text/plain'] }));
  app.use(checkParsedBody());
  mountQueueBoard(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new GlobalExceptionFilter(app.get(TemplateRenderer)));
  app.disable('x-powered-by');
  // Whose X-Forwarded-For is believed (TRUST_PROXY, default loopback): req.ip is what the rate limits count by.
  app.set('trust proxy', config.trustProxy);

  SwaggerModule.setup('api/docs', app, openApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
}

export function logStartup(app: INestApplication, config: AppConfig, url: string): void {
  const logger = new Logger('SeminarHub');
  logger.log(`role=${config.role} listening on ${url} (public URL ${config.publicUrl})`);
  logger.log(
    `queue backend: ${config.queue.redisUrl ? 'Redis' : 'PostgreSQL (bullmq schema)'}; mail: ${config.mail.smtpUrl ? 'SMTP' : `.eml files in ${config.mail.outboxDir}, listed at ${url}/dev/outbox`}`,
  );
  void app;
}
