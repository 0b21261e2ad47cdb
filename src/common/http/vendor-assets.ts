import { dirname, join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';

/**
 * Browser libraries the pages use, served by the app from node_modules at fixed addresses: no CDN
 * (the Content-Security-Policy allows scripts from this site only) and the version the lockfile
 * pins. Each entry is one file, so nothing else of the package's folder is reachable.
 * - Chart.js (UMD build, a global `Chart`): the console's charts, drawn by assets/console-charts.js.
 */
const VENDOR_FILES: Record<string, string> = {
  '/assets/vendor/chart.umd.js': join(dirname(require.resolve('chart.js')), 'chart.umd.js'),
};

/** Serves VENDOR_FILES before the /assets folder (whose static handler answers 404 for anything it lacks). */
export function vendorAssets() {
  return (request: Request, response: Response, next: NextFunction): void => {
    const file = VENDOR_FILES[request.path];
    if (!file || (request.method !== 'GET' && request.method !== 'HEAD')) return next();
    response.sendFile(file, { maxAge: '1d', headers: { 'Content-Type': 'text/javascript; charset=utf-8' } }, (error) => {
      if (error) next(error);
    });
  };
}
