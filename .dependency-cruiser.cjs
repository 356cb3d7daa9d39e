// The architecture check (`npm run lint` runs it): the folders of src/ form layers, and imports only go down.
// Type-only imports count: a type import ties folders together as much as a value import does.

// The folders of src/ in the order of the README's code layout: the pure core, the platform, the provider, the
// kernel, the capabilities in the order data flows through them, and the composition root. A folder imports only
// folders listed before it; an import of one listed after it (a later step of the data flow) fails the lint.
const LAYERS = [
  'markets',
  'analysis',
  'config',
  'logging',
  'metrics',
  'db',
  'marketdata',
  'errors',
  'http',
  'compute',
  'context',
  'openapi',
  'cli',
  'bars',
  'instruments',
  'groups',
  'news',
  'ingest',
  'bundled',
  'factors',
  'moves',
  'events',
  'impact',
  'export',
  'studies',
  'intraday',
  'shocks',
  'outbox',
  'notifications',
  'subscriptions',
  'triggers',
  'scheduler',
  'status',
  'app',
];

const layerRules = LAYERS.slice(0, -1).map((folder, i) => ({
  name: `layer-order-${folder}`,
  comment: `src/${folder} imports only folders listed before it in the README's code layout, not ${LAYERS.slice(i + 1).join(', ')}.`,
  severity: 'error',
  from: { path: `^src/${folder}/` },
  to: { path: `^src/(${LAYERS.slice(i + 1).join('|')})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'every-folder-has-a-layer',
      comment: 'A new folder of src/ takes its place in LAYERS (and in the README), or the order check would not see it.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/', pathNot: `^src/(${LAYERS.join('|')})/` },
    },
    {
      name: 'routes-import-no-other-capabilitys-routes',
      comment: "A routes file never imports another folder's routes file: what routes share lives in src/http/.",
      severity: 'error',
      from: { path: '^src/([^/]+)/[^/]*Routes\\.ts$' },
      to: { path: '^src/[^/]+/[^/]*Routes\\.ts$', pathNot: '^src/$1/' },
    },
    {
      name: 'the-sender-is-the-outboxs-own',
      comment:
        "Capabilities queue email through the outbox's store and word it with src/notifications; only the composition root starts the SMTP sender.",
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(app|outbox)/' },
      to: { path: '^src/outbox/outboxSender\\.ts$' },
    },
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
