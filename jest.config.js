/** Two projects: unit specs next to the code, e2e suites in test/ against real PostgreSQL, Redis and SMTP. */
const transform = { '^.+\\.ts$': 'ts-jest' };

module.exports = {
  // e2e suites start real processes and wait for real mail; each wait has its own shorter bound.
  testTimeout: 120000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      transform,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      transform,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
