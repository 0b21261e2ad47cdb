import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..');

interface Instruction {
  line: number;
  keyword: string;
  args: string;
}

/** The Dockerfile as instructions: continuation lines joined, comments dropped. */
function instructions(text: string): Instruction[] {
  const result: Instruction[] = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) return;
    if (pending === '') start = index + 1;
    if (line.startsWith('#')) return;
    pending += `${line.replace(/\\$/, '').trim()} `;
    if (line.endsWith('\\')) return;
    const [keyword, ...rest] = pending.trim().split(/\s+/);
    result.push({ line: start, keyword: keyword.toUpperCase(), args: rest.join(' ') });
    pending = '';
  });
  return result;
}

interface ComposeService {
  image?: string;
  build?: { dockerfile?: string };
  command?: string[];
  environment?: Record<string, unknown>;
  ports?: string[];
  container_name?: string;
  user?: string;
}

/**
 * docker/ checked without a Docker engine (CI has none): rules in the manner of hadolint for the
 * Dockerfile, and the compose file parsed with a YAML library and checked for the production
 * shape of issue 11. A failure names the rule and the line.
 */
describe('docker/ files', () => {
  let dockerfile: Instruction[];
  let compose: { services: Record<string, ComposeService> };

  beforeAll(async () => {
    dockerfile = instructions(await readFile(join(root, 'docker', 'Dockerfile'), 'utf8'));
    // merge: compose's `<<: *app` keys (YAML 1.1 merge, which compose supports).
    compose = parse(await readFile(join(root, 'docker', 'compose.yml'), 'utf8'), { merge: true }) as typeof compose;
  });

  it('builds in stages on a supported Node.js LTS, pinned by tag', () => {
    const nodeImage = dockerfile.find((i) => i.keyword === 'ARG' && i.args.startsWith('NODE_IMAGE='))?.args.split('=')[1];
    expect(nodeImage).toMatch(/^node:(24|26)(\.\d+)*-bookworm-slim$/);
    const stages = dockerfile.filter((i) => i.keyword === 'FROM');
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      // hadolint DL3006/DL3007: a tag, never latest; every stage named, so COPY --from can say which.
      expect({ line: stage.line, from: stage.args }).toEqual({ line: stage.line, from: expect.stringMatching(/^\S+ AS \w+$/i) });
      expect(stage.args).not.toMatch(/:latest\b/);
    }
  });

  it('runs as a user that is not root, with production dependencies only, started as the README starts it', () => {
    const lastFrom = dockerfile.map((i) => i.keyword).lastIndexOf('FROM');
    const runtime = dockerfile.slice(lastFrom);
    const users = runtime.filter((i) => i.keyword === 'USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    // hadolint DL3002: the last USER is not root.
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    // node_modules in the image come from the stage that installed with --omit=dev.
    const copiedModules = runtime.find((i) => i.keyword === 'COPY' && /node_modules/.test(i.args));
    const fromStage = /--from=(\w+)/.exec(copiedModules?.args ?? '')?.[1];
    const stageStart = dockerfile.findIndex((i) => i.keyword === 'FROM' && new RegExp(` AS ${fromStage}$`, 'i').test(i.args));
    const stageEnd = dockerfile.findIndex((i, index) => index > stageStart && i.keyword === 'FROM');
    expect(dockerfile.slice(stageStart, stageEnd).some((i) => i.keyword === 'RUN' && /npm ci\b.*--omit=dev/.test(i.args))).toBe(true);
    // DL3025: JSON form, so node is PID 1's child with signals and not a shell's.
    const cmd = runtime.filter((i) => i.keyword === 'CMD').at(-1)!.args;
    expect(JSON.parse(cmd)).toEqual(['node', 'dist/main.js']);
  });

  it('follows the hadolint rules that apply to it', async () => {
    const packageJson = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(packageJson.scripts['start:api']).toContain('node dist/main.js');
    const problems: string[] = [];
    for (const i of dockerfile) {
      if (i.keyword === 'ADD') problems.push(`line ${i.line}: DL3020 use COPY instead of ADD`);
      if (i.keyword === 'WORKDIR' && !i.args.startsWith('/')) problems.push(`line ${i.line}: DL3000 WORKDIR must be absolute`);
      if (i.keyword === 'RUN' && /\bsudo\b/.test(i.args)) problems.push(`line ${i.line}: DL3004 no sudo`);
      if (i.keyword === 'RUN' && /\bcd\s/.test(i.args)) problems.push(`line ${i.line}: DL3003 use WORKDIR, not cd`);
      if (i.keyword === 'RUN' && /apt-get install/.test(i.args) && !/--no-install-recommends/.test(i.args))
        problems.push(`line ${i.line}: DL3015 --no-install-recommends`);
      if (i.keyword === 'RUN' && /apt-get install/.test(i.args) && !/rm -rf \/var\/lib\/apt\/lists/.test(i.args))
        problems.push(`line ${i.line}: DL3009 remove the apt lists`);
      if (i.keyword === 'RUN' && /\bnpm install\b/.test(i.args)) problems.push(`line ${i.line}: npm ci, not npm install, for a reproducible image`);
      if (i.keyword === 'MAINTAINER') problems.push(`line ${i.line}: DL4000 MAINTAINER is deprecated`);
    }
    expect(problems).toEqual([]);
  });

  it('composes api and worker (both scalable), PostgreSQL 16, Redis 7 with AOF and noeviction, and Mailpit', () => {
    const { services } = compose;
    expect(Object.keys(services).sort()).toEqual(['api', 'mailpit', 'postgres', 'redis', 'worker']);
    expect(services.postgres.image).toMatch(/^postgres:16\b/);
    expect(services.redis.image).toMatch(/^redis:7\b/);
    expect(services.redis.command?.join(' ')).toMatch(/--appendonly yes/);
    expect(services.redis.command?.join(' ')).toMatch(/--maxmemory-policy noeviction/);
    expect(services.mailpit.image).toMatch(/^axllent\/mailpit\b/);
    for (const role of ['api', 'worker'] as const) {
      expect(services[role].build?.dockerfile).toBe('docker/Dockerfile');
      expect(services[role].environment?.ROLE).toBe(role);
      // Scalable: no fixed container name, and no single host port two replicas would fight over.
      expect(services[role].container_name).toBeUndefined();
      for (const port of services[role].ports ?? []) expect(port).toMatch(/^(\$\{[A-Z_]+:-)?\d+-\d+\}?:\d+$/);
      expect(services[role].user ?? 'node').not.toMatch(/^(root|0)/);
    }
    // The worker's metrics port stays inside the network.
    expect(services.worker.environment?.METRICS_PORT).toBe(9464);
    expect(services.worker.ports).toBeUndefined();
  });
});
