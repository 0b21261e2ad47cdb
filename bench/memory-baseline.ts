/**
 * Preloaded (node -r) into each backend's process by bench/run.ts, after ts-node and before any
 * of the app's modules: what the process weighs with Node and the TypeScript compiler alone, so
 * the figures can be read net of ts-node (production runs compiled JavaScript from dist/).
 */
(globalThis as { benchMemoryBaseline?: NodeJS.MemoryUsage }).benchMemoryBaseline = process.memoryUsage();
