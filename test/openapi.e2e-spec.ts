import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { OpenAPIObject } from '@nestjs/swagger';
import { writeOpenApiDocument } from '../src/openapi/openapi-document-file';

interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer: string }[];
}

/**
 * Probes answer 200 or 503 and are never rate-limited: they have no 4xx to document, and inventing
 * one would make the contract lie. Every other problem of any severity fails the suite.
 */
const NO_CLIENT_ERROR = ['/health', '/health/live', '/health/ready'].map((path) => `#/paths/${path.replace(/\//g, '~1')}/get/responses`);

/**
 * The OpenAPI document as the api role generates it, linted with Redocly's recommended rules: an
 * endpoint added without a summary, a documented success, `security: []` when public, or with an
 * example that contradicts its schema fails here, with the rule and the place in the document.
 */
describe('the OpenAPI document', () => {
  let dir: string;
  let file: string;
  let document: OpenAPIObject;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'seminarhub-openapi-'));
    file = join(dir, 'openapi.json');
    await writeOpenApiDocument(file);
    document = JSON.parse(await readFile(file, 'utf8')) as OpenAPIObject;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("passes Redocly's recommended rules with no error and no warning", async () => {
    const bin = join(__dirname, '..', 'node_modules', '.bin', 'redocly');
    const run = await promisify(execFile)(bin, ['lint', file, '--config', join(__dirname, '..', 'redocly.yaml'), '--format', 'json'], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }));
    const report = JSON.parse(run.stdout) as { problems: LintProblem[] };
    const problems = report.problems
      .filter((problem) => !(problem.ruleId === 'operation-4xx-response' && NO_CLIENT_ERROR.includes(problem.location[0]?.pointer)))
      .map((problem) => `${problem.severity} ${problem.ruleId} at ${problem.location[0]?.pointer}: ${problem.message}`);
    expect(problems).toEqual([]);
  });

  it('lists the public pages, the emailed-link pages and the feeds, each open to anyone', () => {
    const publicOperations = [
      ['get', '/events'],
      ['get', '/events/{id}'],
      ['post', '/events/{id}/registrations'],
      ['get', '/r/{token}'],
      ['post', '/r/{token}'],
      ['get', '/u/{token}'],
      ['post', '/u/{token}'],
      ['get', '/feeds/{token}.ics'],
      ['get', '/api/clusters/{code}/calendar.ics'],
      ['get', '/api/events/{id}/calendar.ics'],
      ['post', '/api/events/{id}/registrations'],
      ['get', '/health'],
    ] as const;
    for (const [method, path] of publicOperations) {
      expect({ method, path, security: document.paths[path]?.[method]?.security }).toEqual({ method, path, security: [] });
    }
    expect(document.paths['/api/events']?.post?.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/events/{id}']?.get?.responses['200']).toMatchObject({ content: { 'text/html': {} } });
  });
});
