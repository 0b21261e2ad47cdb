import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Metrics } from '../common/metrics/metrics.service';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/**
 * A worker serves no HTTP, yet its mail and job counters live in its own memory: with
 * METRICS_PORT set, it answers GET /metrics (Prometheus text) and GET /health/live on that port.
 * node:http rather than an Express app: two fixed routes, no body, no session, nothing to parse.
 * No credential, unlike the api's /metrics: the port is meant for the scraper on the internal
 * network and is never published (docker/compose.yml does not), and it carries counts, no personal data.
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerMetricsServer.name);
  private server: Server | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.metricsPort === undefined) return;
    const server = createServer((request, response) => {
      const path = (request.url ?? '').split('?')[0];
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'application/json' }).end(JSON.stringify({ statusCode: 405, message: 'GET only' }));
      } else if (path === '/metrics') {
        this.metrics.exposition().then(
          ({ contentType, body }) => response.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' }).end(body),
          (error: Error) => response.writeHead(500, { 'Content-Type': 'text/plain' }).end(`metrics failed: ${error.message}`),
        );
      } else if (path === '/health/live') {
        // The shape of the api's /health/live (terminus), so one probe definition fits both roles.
        const process = { status: 'up', uptimeSeconds: Math.floor(global.process.uptime()) };
        response
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ status: 'ok', info: { process }, error: {}, details: { process } }));
      } else {
        response
          .writeHead(404, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ statusCode: 404, message: 'only /metrics and /health/live here' }));
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.metricsPort, () => resolve());
    });
    this.server = server;
    this.logger.log(`worker metrics on port ${(server.address() as AddressInfo).port}: /metrics and /health/live`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
