import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { ClusterCode, CLUSTER_CODES } from './cluster-codes';
import { DkimConfig, readDkim } from './dkim-config';
import { Env, EnvReader } from './env-reader';

export type Role = 'all' | 'api' | 'worker';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One typed, validated view of the environment, built once at start. */
export interface AppConfig {
  role: Role;
  nodeEnv: string;
  port: number;
  /** Worker role: the port of its own HTTP listener for /metrics and /health/live (Prometheus scrapes workers there); none when unset. */
  metricsPort: number | undefined;
  /** Local state of the embedded defaults: the embedded PostgreSQL, the mail folder, the generated admin token. */
  dataDir: string;
  publicUrl: string;
  adminToken: string;
  /** ADMIN_EMAIL: the first federation admin, made at start if missing; signs in to the console. */
  adminEmail: string | undefined;
  /** LINK_SECRET: the key emailed links are derived from; absent, one is derived from the admin token. */
  linkSecret: string | undefined;
  /** True when ADMIN_TOKEN was not given and we made one, so main.ts prints it once. */
  adminTokenGenerated: boolean;
  database: {
    /** Absent: main.ts starts the embedded PostgreSQL and fills this in. */
    url: string | undefined;
    embeddedDir: string;
    embeddedPort: number;
    /** DATABASE_POOL_WAIT_MS: how long a request waits for a pooled connection (or a new one) before its 503. */
    poolWaitMs: number;
  };
  queue: {
    /** Present: BullMQ on Redis. Absent: BullMQ's PostgreSQL backend on the app database. */
    redisUrl: string | undefined;
    /** Redis key prefix or PostgreSQL schema, so several deployments (or test suites) can share a server. */
    namespace: string;
    relayIntervalMs: number;
    workerConcurrency: number;
    /** How long a worker holds a job before others may take it back; a killed worker's jobs return after this. */
    jobLockMs: number;
  };
  mail: {
    /** Absent: mail is written as .eml files to `outboxDir` and listed on /dev/outbox (organizers only). */
    smtpUrl: string | undefined;
    /** MAIL_FILE_OUTBOX: the operator asked for the file outbox; production refuses to start without SMTP_URL otherwise. */
    fileOutboxRequested: boolean;
    outboxDir: string;
    /** The platform's sending address; replies go to the host cluster office (Reply-To, ORGANIZER). */
    from: string;
    maxAttempts: number;
    /**
     * MAIL_SENT_BATCH_MS: how long a sent row waits to be marked sent together with the others the
     * SMTP pool finished meanwhile (one UPDATE for all). 0 marks each row on its own.
     */
    sentBatchMs: number;
    /** DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY(_FILE): every SMTP mail is signed with them; absent, mail goes unsigned. */
    dkim: DkimConfig | undefined;
  };
  clusterOfficeEmails: Record<ClusterCode, string>;
  templatesDir: string;
  tokenTtlHours: number;
  /** Delivery records (outbox rows) are deleted this many days after they were written and their event ended. */
  outboxRetentionDays: number;
  /** Registrants' personal data is kept this many days after their event ended, then anonymised (PIPA); the consent notice states it. */
  personalDataRetentionDays: number;
  bodyLimit: string;
  /**
   * Requests per minute and client IP on the public endpoints (organizers with a valid token are
   * never limited); 0 turns a limit off. `publicWritesPerMinute` covers every non-GET request
   * without an organizer token and the emailed-link pages (GET and POST /r/:token, where guessing
   * happens); `publicReadsPerMinute` covers the other public GETs.
   */
  rateLimit: {
    publicWritesPerMinute: number;
    publicReadsPerMinute: number;
  };
  /**
   * Express's `trust proxy`: whose X-Forwarded-For is believed, which decides the client IP the
   * rate limits count by. A number of proxy hops, or a list of addresses, subnets and the names
   * loopback, linklocal, uniquelocal.
   */
  trustProxy: number | string;
  /**
   * PUBLIC_PAGE_CACHE_MS: how long an api process reuses a rendered anonymous public page or list
   * (common/http/public-page-cache.ts), the bound on how late a change made through another
   * process shows there; 0 turns the cache off.
   */
  publicPageCacheMs: number;
  /** LOG_LEVEL: the least severe log line written (JSON lines, pino's levels). */
  logLevel: LogLevel;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * Reads and validates the environment. Every problem is collected so that a
 * misconfigured deployment learns everything wrong in one start, not one per restart.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const role = read.oneOf('ROLE', ['all', 'api', 'worker'] as const, 'all');
  const nodeEnv = read.string('NODE_ENV', 'development');
  const port = read.integer('PORT', 3000, 0, 65535);
  const publicUrl = read.url('PUBLIC_URL', `http://localhost:${port}`, ['http:', 'https:']).replace(/\/+$/, '');
  const databaseUrl = read.optionalUrl('DATABASE_URL', ['postgres:', 'postgresql:']);
  const redisUrl = read.optionalUrl('REDIS_URL', ['redis:', 'rediss:']);
  const smtpUrl = read.optionalUrl('SMTP_URL', ['smtp:', 'smtps:']);
  const dataDir = resolve(read.string('DATA_DIR', resolve(__dirname, '..', '..', '.data')));

  let adminToken = env.ADMIN_TOKEN ?? '';
  const adminTokenGenerated = adminToken === '';
  if (adminTokenGenerated) {
    if (nodeEnv === 'production') problems.push('ADMIN_TOKEN must be set in production');
    adminToken = randomBytes(24).toString('base64url');
  } else if (adminToken.length < 16) {
    problems.push('ADMIN_TOKEN must be at least 16 characters');
  }

  const fileOutboxRequested = read.boolean('MAIL_FILE_OUTBOX', false);
  if (nodeEnv === 'production' && !smtpUrl && !fileOutboxRequested) {
    problems.push('SMTP_URL must be set in production: without it mail is only written to files on this machine (set MAIL_FILE_OUTBOX=true to want that)');
  }

  const adminEmail = read.optionalEmail('ADMIN_EMAIL');
  const linkSecret = env.LINK_SECRET || undefined;
  if (linkSecret !== undefined && linkSecret.length < 32) problems.push('LINK_SECRET must be at least 32 characters');

  const clusterOfficeEmails = {} as Record<ClusterCode, string>;
  for (const code of CLUSTER_CODES) {
    const name = `CLUSTER_OFFICE_EMAIL_${code}`;
    const fallback = `${code.toLowerCase().replace('_', '-')}-office@seminarhub.localhost`;
    clusterOfficeEmails[code] = read.email(name, fallback);
    if (/no-?reply/i.test(clusterOfficeEmails[code])) {
      problems.push(`${name} must be an address a person reads (calendar replies go there), not a no-reply`);
    }
  }

  const config: AppConfig = {
    role,
    nodeEnv,
    port,
    metricsPort: env.METRICS_PORT?.trim() ? read.integer('METRICS_PORT', 0, 0, 65535) : undefined,
    dataDir,
    publicUrl,
    adminToken,
    adminEmail,
    linkSecret,
    adminTokenGenerated,
    database: {
      url: databaseUrl,
      embeddedDir: resolve(dataDir, 'postgres'),
      embeddedPort: read.integer('EMBEDDED_PG_PORT', 54329, 1024, 65535),
      poolWaitMs: read.integer('DATABASE_POOL_WAIT_MS', 10_000, 100, 600_000),
    },
    queue: {
      redisUrl,
      namespace: read.pattern('QUEUE_NAMESPACE', 'seminarhub', /^[a-z][a-z0-9_]{0,40}$/, 'lower-case letters, digits and _'),
      relayIntervalMs: read.integer('OUTBOX_RELAY_INTERVAL_MS', 1000, 50, 60_000),
      workerConcurrency: read.integer('WORKER_CONCURRENCY', 5, 1, 100),
      jobLockMs: read.integer('JOB_LOCK_MS', 30_000, 1000, 600_000),
    },
    mail: {
      smtpUrl,
      fileOutboxRequested,
      outboxDir: resolve(dataDir, 'outbox'),
      from: read.email('MAIL_FROM', 'seminars@seminarhub.localhost'),
      maxAttempts: read.integer('MAIL_MAX_ATTEMPTS', 8, 1, 50),
      sentBatchMs: read.integer('MAIL_SENT_BATCH_MS', 20, 0, 60_000),
      dkim: readDkim(env, problems),
    },
    clusterOfficeEmails,
    templatesDir: resolve(read.string('TEMPLATES_DIR', resolve(__dirname, '..', '..', 'templates'))),
    tokenTtlHours: read.integer('LINK_TOKEN_TTL_HOURS', 24 * 30, 1, 24 * 365),
    outboxRetentionDays: read.integer('OUTBOX_RETENTION_DAYS', 180, 1, 3650),
    personalDataRetentionDays: read.integer('PERSONAL_DATA_RETENTION_DAYS', 365, 1, 3650),
    bodyLimit: read.pattern('BODY_LIMIT', '1mb', /^\d+(kb|mb)$/, 'a size such as 512kb or 1mb'),
    rateLimit: {
      publicWritesPerMinute: read.integer('RATE_LIMIT_PUBLIC_WRITES_PER_MINUTE', 20, 0, 1_000_000),
      publicReadsPerMinute: read.integer('RATE_LIMIT_PUBLIC_READS_PER_MINUTE', 300, 0, 1_000_000),
    },
    trustProxy: read.trustProxy('TRUST_PROXY', 'loopback'),
    publicPageCacheMs: read.integer('PUBLIC_PAGE_CACHE_MS', 2000, 0, 60_000),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
