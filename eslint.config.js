// Lint: typescript-eslint's recommended rules plus import boundaries between the folders
// (DESIGN.md §5): common imports nothing of ours; web never imports server; platform adapters
// never import domain modules.
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ['error', { patterns: patterns.map((group) => ({ group, message: 'Import boundary: see docs/ARCHITECTURE.md' })) }];

const CJK = '/[\\u3400-\\u9fff]/';
const TEXT_MESSAGE = 'Branch on an error code, a flag or a structured detail from the server, never on Chinese text (docs/ARCHITECTURE.md).';
const noTextMatching = [
  `CallExpression[callee.property.name=/^(includes|startsWith|endsWith|indexOf|lastIndexOf|match|search)$/] > Literal.arguments[value=${CJK}]`,
  `CallExpression[callee.property.name=/^(includes|startsWith|endsWith|indexOf|lastIndexOf|match|search)$/] > TemplateLiteral.arguments[quasis.0.value.raw=${CJK}]`,
  `CallExpression[callee.property.name=/^(test|exec)$/][callee.object.regex.pattern=${CJK}]`,
  `BinaryExpression[operator=/^[!=]==?$/] > Literal[value=${CJK}]`,
  `SwitchCase > Literal.test[value=${CJK}]`,
].map((selector) => ({ selector, message: TEXT_MESSAGE }));

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
  {
    files: ['web/**'],
    rules: {
      'no-restricted-imports': restrict([['**/server/**'], ['fastify', 'kysely', 'pg', '@electric-sql/*', 'pdfkit']]),
      // The server decides, the UI draws: the UI branches on codes, flags and details, never on
      // the words of a message. Comparing with, or searching for, Chinese text is refused.
      'no-restricted-syntax': ['error', ...noTextMatching],
    },
  },
  // Later entries override earlier ones for the same files, so the narrow folders repeat the wide rule.
  { files: ['server/**'], rules: { 'no-restricted-imports': restrict([['**/web/**']]) } },
  // Routes only route (validate → authorise → service → presenter): no SQL, no transaction of their own, no database handle.
  {
    files: ['server/modules/**/*routes.ts'],
    rules: {
      'no-restricted-imports': restrict([
        ['**/web/**', '**/db/**'],
        ['kysely', 'kysely/*', 'pg', '@electric-sql/*'],
      ]),
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(selectFrom|selectNoFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|transaction)$/]',
          message: 'A route calls a service; the query belongs in the module’s service or repository (docs/ARCHITECTURE.md).',
        },
        {
          selector: 'MemberExpression[property.name="dbh"]',
          message: 'Routes get their context from deps.ctx(req) or deps.tx(req, fn), never the database handle.',
        },
      ],
    },
  },
  { files: ['server/platform/**', 'server/http/**'], rules: { 'no-restricted-imports': restrict([['**/web/**', '**/modules/**']]) } },
  {
    files: ['server/db/migrations/**'],
    rules: { 'no-restricted-imports': restrict([['**/web/**', '**/modules/**', '**/common/**', '../types*', '../index*']]) },
  },
);
