// Lint: typescript-eslint's recommended rules plus import boundaries between the folders
// (DESIGN.md §5): common imports nothing of ours; web never imports server; platform adapters
// never import domain modules.
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ['error', { patterns: patterns.map((group) => ({ group, message: 'Import boundary: see docs/ARCHITECTURE.md' })) }];

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'var/', 'screenshots/', 'bench/results*'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['common/**'],
    rules: {
      'no-restricted-imports': restrict([
        ['**/server/**', '**/web/**', '../server', '../web'],
        ['fastify', 'kysely', 'pg', '@electric-sql/*', 'react', 'react-dom'],
      ]),
    },
  },
  { files: ['web/**'], rules: { 'no-restricted-imports': restrict([['**/server/**'], ['fastify', 'kysely', 'pg', '@electric-sql/*', 'pdfkit']]) } },
  // Later entries override earlier ones for the same files, so the narrow folders repeat the wide rule.
  { files: ['server/**'], rules: { 'no-restricted-imports': restrict([['**/web/**']]) } },
  { files: ['server/platform/**', 'server/http/**'], rules: { 'no-restricted-imports': restrict([['**/web/**', '**/modules/**']]) } },
  {
    files: ['server/db/migrations/**'],
    rules: { 'no-restricted-imports': restrict([['**/web/**', '**/modules/**', '**/common/**', '../types*', '../index*']]) },
  },
);
