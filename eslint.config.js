import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  // The generated gRPC types are checked against their generator by a test, not linted.
  { ignores: ['**/node_modules/**', '**/dist/**', '.data/**', 'web/dist/**', 'packages/contracts/src/grpc/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    // Tests read JSON bodies of many shapes; typing each one would add noise, not safety.
    files: ['tests/**/*.ts', '**/test/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Boundaries: a service imports only contracts and platform, never another service.
    files: ['services/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@brokerage/*-service', '../../*/src/*', '../../../services/*'], message: 'A service imports only @brokerage/contracts and @brokerage/platform.' }] }],
    },
  },
  {
    // Only a service's main.ts (and scripts) read the environment.
    files: ['services/*/src/**/*.ts', 'packages/*/src/**/*.ts'],
    ignores: ['**/main.ts', '**/*.test.ts', 'packages/platform/src/testing.ts', 'packages/platform/src/cli/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Only main.ts reads process.env; pass configuration in.' }],
    },
  },
  {
    // The matching engine is pure: no I/O, no platform.
    files: ['services/order-processor/src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@brokerage/platform', '@brokerage/platform/*', 'node:*', 'pg'] }],
    },
  },
)
