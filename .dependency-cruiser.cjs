// The architecture check (`npm run lint` runs it): the folders of src/ form layers, and imports only go down.
// Type-only imports count: a type import ties folders together as much as a value import does.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment: 'Folders of src/ must not import each other in a circle (type-only imports included).',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      comment: 'Files must not import each other in a circle.',
      severity: 'error',
      from: { path: '^(src|web/src)/' },
      to: { circular: true },
    },
    {
      name: 'analysis-is-pure',
      comment: 'The analysis core is pure functions: it may import only src/markets (and numeric npm packages), no I/O.',
      severity: 'error',
      from: { path: '^src/analysis/' },
      to: { path: '^src/', pathNot: '^src/(analysis|markets)/' },
    },
    {
      name: 'pure-core-has-no-io',
      comment: 'src/analysis and src/markets use no Node built-in module (fs, net, http, child_process...).',
      severity: 'error',
      from: { path: '^src/(analysis|markets)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'markets-is-a-leaf',
      comment: 'Exchange calendars import nothing of the project.',
      severity: 'error',
      from: { path: '^src/markets/' },
      to: { path: '^src/', pathNot: '^src/markets/' },
    },
    {
      name: 'nothing-imports-the-root',
      comment: 'src/app is the composition root: it imports every capability, and no capability imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/app/' },
      to: { path: '^src/app/' },
    },
    {
      name: 'web-takes-only-types-from-src',
      comment: 'The dashboard shares the API contract with the server as types only; no server code is bundled into it.',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: '^src/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unresolvable',
      comment: "Every import resolves (yahoo-finance2's result types are imported type-only from its build, outside its exports map).",
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^yahoo-finance2/script/src/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: {
      archi: { collapsePattern: '^src/[^/]+' },
      dot: { collapsePattern: '^src/[^/]+' },
    },
  },
};
