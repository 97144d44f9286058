// One jest run for the whole repository: shared rules, API tests on the embedded database,
// and end-to-end journeys on the H5 builds in Chromium.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      target: 'es2022',
      transform: { react: { runtime: 'automatic' } },
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  transform: { '^.+\\.(t|j)sx?$': swc },
  // Tests run against the sources of shared (whose imports carry .js extensions for ESM builds).
  moduleNameMapper: {
    '^@ygsa/shared$': '<rootDir>/../shared/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  // ESM-only libraries the API uses (the spatial index), compiled to CommonJS for jest like our sources.
  transformIgnorePatterns: ['/node_modules/(?!(kdbush|geokdbush|tinyqueue)/)'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30_000,
  projects: [
    {
      ...common,
      displayName: 'shared',
      rootDir: 'shared',
      testMatch: ['<rootDir>/src/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'kit',
      rootDir: 'miniprogram-kit',
      testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}'],
      testEnvironment: 'jsdom',
      // Taro's components and APIs, and NutUI, need a mini-program or Taro's H5 runtime: the tests
      // render the kit against small doubles of them (test/), styles as nothing.
      moduleNameMapper: {
        ...common.moduleNameMapper,
        '^@tarojs/components$': '<rootDir>/test/taro-components.tsx',
        '^@tarojs/taro$': '<rootDir>/test/taro.ts',
        '^@nutui/nutui-react-taro$': '<rootDir>/test/nutui.tsx',
        '\\.s?css$': '<rootDir>/test/style.ts',
      },
    },
    {
      ...common,
      displayName: 'cloud-api',
      rootDir: 'cloud-api',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Records the shape of every query the API sends (scripts/check-query-shapes.mjs checks them).
      setupFiles: ['<rootDir>/test/setup/query-shapes.ts'],
      globalSetup: '<rootDir>/../scripts/jest/database-setup.mjs',
      globalTeardown: '<rootDir>/../scripts/jest/database-teardown.mjs',
    },
    {
      ...common,
      displayName: 'apps',
      rootDir: 'tests',
      testMatch: ['<rootDir>/apps/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      rootDir: 'tests',
      testMatch: ['<rootDir>/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/../scripts/jest/stack-setup.mjs',
      globalTeardown: '<rootDir>/../scripts/jest/stack-teardown.mjs',
    },
  ],
};
