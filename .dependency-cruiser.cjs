/**
 * Module boundaries (docs/ARCHITECTURE.md): each server module is used through its index.ts only,
 * and modules do not import each other in circles. `npm run lint` runs this after ESLint.
 * Tests (*.test.ts) may reach into any module to set a case up.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'module-door',
      comment: 'Another module is used through its index.ts (its public door), never through its other files.',
      severity: 'error',
      from: { path: '^server/modules/([^/]+)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^server/modules/[^/]+/', pathNot: ['^server/modules/$1/', '^server/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'module-door-outside',
      comment: 'The composition root, the CLIs, the benchmarks and the scripts use a module through its index.ts.',
      severity: 'error',
      from: { path: '^(server/[^/]+\\.ts|server/cli/|bench/|scripts/)', pathNot: '\\.test\\.ts$' },
      to: { path: '^server/modules/[^/]+/', pathNot: '^server/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'no-module-circle',
      comment: 'Modules form a layered graph: plug into the case hub (cases/hooks.ts) instead of importing back.',
      severity: 'error',
      from: { path: '^server/' },
      to: { circular: true },
    },
    {
      name: 'shared-below-modules',
      comment: 'server/http, server/platform and server/db serve the modules and never import them.',
      severity: 'error',
      from: { path: '^server/(http|platform|db)/' },
      to: { path: '^server/modules/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|web/dist|var)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
    reporterOptions: { dot: { collapsePattern: '^server/modules/[^/]+' } },
  },
};
