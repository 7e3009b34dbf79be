// @ts-check
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const serverOnlyModules = [
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
  'hono',
  'hono/*',
  '@hono/*',
  'pino',
];

/** Sandbox code must not pull in Node built-ins, clients, or activity implementations. */
const sandboxRestrictions = (/** @type {string[]} */ extraForbidden) => ({
  'import-x/no-nodejs-modules': 'error',
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: [...serverOnlyModules, ...extraForbidden], message: 'Not allowed in sandboxed or pure code.' },
        {
          group: ['**/activities', '**/activities/**'],
          allowTypeImports: true,
          message: 'Workflows may only import activity types (use proxyActivities).',
        },
        { group: ['**/infra/**', '**/api/**', '**/main/**'], message: 'Node-only code is not allowed here.' },
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.data/**', 'coverage/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
    },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } } },
  },
  // CommonJS on purpose (src/infra/worker/lazy-re2js.cjs: a require the bundler resolves lazily); not type-checked.
  {
    files: ['**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: false },
      sourceType: 'commonjs',
      globals: { require: 'readonly', exports: 'writable' },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['workflows/**/*.ts'], rules: sandboxRestrictions([]) },
  { files: ['src/core/**/*.ts'], rules: sandboxRestrictions(['@temporalio/*']) },
  { files: ['src/contracts/**/*.ts'], rules: sandboxRestrictions([]) },
  // A feature folder holds its workflow-side and pure parts at the top and its Node-only I/O in delivery/.
  { files: ['src/webhooks/**/*.ts'], ignores: ['src/webhooks/delivery/**'], rules: sandboxRestrictions([]) },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read JSON response bodies; typing every one would add noise, not safety.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
);
