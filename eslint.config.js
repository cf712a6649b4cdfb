// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Folder boundaries (DESIGN §2, issue 11): which top-level folders of src/ a folder may import. Ports live in
 * src/core/ports; adapters (kube, bot, agent, webhooks) depend on core, never on each other; wiring is in
 * src/cli. `from` names the importing folder, `forbidden` the folders it must not reach.
 */
const sdks = [
  '@kubernetes/client-node',
  'bullmq',
  'ioredis',
  '@slack/*',
  'openai',
  'langchain',
  '@langchain/*',
];
const boundaries = [
  {
    from: 'core',
    forbidden: [
      'kube',
      'bot',
      'agent',
      'webhooks',
      'controller',
      'cli',
      'platform',
      'sandbox',
      'http',
      'config',
      'metrics',
    ],
    sdks: true,
  },
  { from: 'kube', forbidden: ['bot', 'agent', 'webhooks', 'controller', 'cli'] },
  { from: 'webhooks', forbidden: ['bot', 'agent', 'kube', 'controller', 'cli'] },
  { from: 'agent', forbidden: ['bot', 'webhooks', 'kube', 'controller', 'cli'] },
  { from: 'bot', forbidden: ['agent', 'webhooks', 'cli'] },
  { from: 'controller', forbidden: ['bot', 'agent', 'webhooks', 'cli'] },
  { from: 'platform', forbidden: ['kube', 'bot', 'agent', 'webhooks', 'controller', 'cli'] },
];
/** Another top-level folder's file other than its (or its sub-folder's) index.js. */
const internalsOfOtherFolders =
  '^(\\.\\./)+(kube|bot|agent|webhooks|controller|platform|metrics|http|config|sandbox|logging|cli)/(.+/)?(?!index\\.js$)[^/]+$';
const boundaryConfigs = boundaries.map(({ from, forbidden, sdks: noSdks }) => ({
  files: [`src/${from}/**/*.ts`],
  ignores: ['**/*.test.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`,
            message: `src/${from} must not import from ${forbidden.map((name) => `src/${name}`).join(', ')}: depend on a port in src/core/ports and wire it in src/cli (eslint.config.js, DESIGN §2).`,
          },
          {
            regex: internalsOfOtherFolders,
            message: 'Import another folder through its index.ts only.',
          },
          ...(noSdks
            ? [
                {
                  group: sdks,
                  message: 'src/core imports no SDK; declare a port and implement it in an adapter.',
                },
              ]
            : []),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'coverage/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings through src/config only.' },
      ],
    },
  },
  {
    files: ['src/config/**', '**/*.test.ts', 'test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.test.ts', 'test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: internalsOfOtherFolders, message: 'Import another folder through its index.ts only.' },
          ],
        },
      ],
    },
  },
  ...boundaryConfigs,
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
);
