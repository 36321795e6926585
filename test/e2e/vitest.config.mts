/**
 * Vitest for the end-to-end tests and the UI benchmark's check: Node environment,
 * one file at a time (each starts its own browser-mode server and chromium), long
 * timeouts. Run with `vitest run --config test/e2e/vitest.config.mts` after
 * `electron-vite build`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname + '/../..',
  test: {
    // The docs' screenshots are retaken on demand (npm run docs:screenshots), not in every test run.
    include: ['test/e2e/**/*.test.ts'],
    exclude: process.env.DOCS_SCREENSHOTS ? [] : ['test/e2e/docs-screenshots.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // .ci/run adds this report's counts to the unit and integration tests' ones.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest-e2e.json' }]],
  },
});
