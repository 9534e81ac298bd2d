import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources, so one copy of each class (errors included) is loaded.
    alias: [
      { find: /^@scriptsensei\/core\/testing$/, replacement: src('./packages/core/src/testing/index.ts') },
      { find: /^@scriptsensei\/core$/, replacement: src('./packages/core/src/index.ts') },
      { find: /^@scriptsensei\/adapters\/express$/, replacement: src('./packages/adapters/src/http/express-router.ts') },
      { find: /^@scriptsensei\/adapters\/testing$/, replacement: src('./packages/adapters/src/testing/index.ts') },
      { find: /^@scriptsensei\/adapters\/(.*)$/, replacement: src('./packages/adapters/src/$1/index.ts') },
      { find: /^@scriptsensei\/adapters$/, replacement: src('./packages/adapters/src/index.ts') },
      { find: /^@scriptsensei\/fonts\/testing$/, replacement: src('./packages/fonts/src/testing/index.ts') },
      { find: /^@scriptsensei\/fonts$/, replacement: src('./packages/fonts/src/index.ts') },
      { find: /^@scriptsensei\/client$/, replacement: src('./packages/client/src/index.ts') },
      { find: /^@scriptsensei\/react\/compat$/, replacement: src('./packages/react/src/compat/index.ts') },
      { find: /^@scriptsensei\/react$/, replacement: src('./packages/react/src/index.ts') },
    ],
  },
  test: {
    include: [
      'packages/*/test/**/*.test.{ts,tsx}',
      'examples/*/test/**/*.test.ts',
      // Checks of files outside the packages: deployment files, the guides' snippets, the release.
      'deploy/test/**/*.test.ts',
      'docs/test/**/*.test.ts',
      'tools/test/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './tools/summary-reporter.ts'],
  },
});
