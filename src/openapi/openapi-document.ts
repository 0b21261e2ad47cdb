import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/**
 * The OpenAPI document: served by every api process at /api/docs-json, written to a file by
 * `npm run openapi` and linted with Redocly's recommended rules in the test suite (test/openapi.e2e-spec.ts),
 * so an endpoint added without a summary, a documented success or `security: []` when public fails CI.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Seminar Hub')
      .setDescription('Integrated seminars of the ICT, IMT, DC and GREEN_IT mini-clusters: events, invitations, registrations, calendars.')
      .setVersion('1')
      .setLicense('MIT', 'https://opensource.org/license/mit')
      // Relative: each installation serves its own document, so the paths are on whatever host served it.
      .addServer('/', 'this installation')
      .addBearerAuth()
      .build(),
  );
}
