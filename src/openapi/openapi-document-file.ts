import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { writeFile } from 'node:fs/promises';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/app-config';
import { openApiDocument } from './openapi-document';

/**
 * Writes the api role's OpenAPI document without a database, Redis or a listening server:
 * Nest's preview mode scans the modules and their routes but instantiates no provider.
 */
export async function writeOpenApiDocument(file: string): Promise<void> {
  const app = await NestFactory.create(AppModule.forRole(loadConfig({ ...process.env, ROLE: 'api' })), { preview: true, logger: false });
  try {
    await writeFile(file, `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  const file = process.argv[2] ?? 'openapi.json';
  writeOpenApiDocument(file).then(
    () => console.log(`OpenAPI document written to ${file}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
