// The room matrix: which part of server/ (and main/, renderer/) may import which. Everything not
// allowed below is an error ("not-in-allowed"), so a new cross-room import is a decision taken here,
// in review, and docs/ARCHITECTURE.md ("Layering") says the same in a table. Run by `npm run lint`
// (scripts/layers.mjs). Type-only imports count: a type dependency is still a dependency.

/** Each room: the files it holds (a path regex) and the rooms it may import besides itself. */
const ROOMS = {
  // Low rooms: the vocabulary and the stores. They never import a high room.
  contracts: { path: '^server/contracts/', may: [] },
  protocol: { path: '^server/protocol/', may: ['contracts'] },
  version: { path: '^server/version\\.ts$', may: [] },
  lifecycle: { path: '^server/lifecycle/', may: [] },
  state: { path: '^server/state/', may: ['contracts'] },
  proof: { path: '^server/proof/', may: ['contracts'] },
  auth: { path: '^server/auth/', may: ['contracts'] },
  events: { path: '^server/events/', may: ['contracts', 'auth', 'protocol'] },
  storage: { path: '^server/storage/', may: ['contracts', 'events', 'state'] },
  // The protocol linter: pure, records in, findings out.
  lint: { path: '^server/lint/', may: ['contracts', 'protocol'] },
  // Fault rules: validation, firing, presets; the store and the router are handed in or import it.
  faults: { path: '^server/faults/', may: ['contracts', 'protocol'] },
  // Middle: options, discovery's parsing/fetching, the tunnel providers.
  config: { path: '^server/config/', may: ['contracts', 'state'] },
  discovery: { path: '^server/discovery/(?!room\\.ts$)', may: ['contracts', 'proof', 'state'] },
  tunnel: { path: '^server/tunnel/', may: ['contracts', 'config'] },
  // High rooms.
  discoveryRoom: {
    path: '^server/discovery/room\\.ts$',
    may: ['contracts', 'protocol', 'config', 'discovery', 'events', 'proof', 'state'],
  },
  wopi: { path: '^server/wopi/', may: ['contracts', 'protocol', 'auth', 'state', 'storage'] },
  http: { path: '^server/http/', may: ['contracts', 'protocol', 'events', 'faults', 'storage', 'wopi'] },
  // The simulated client is a WOPI client: it shares the wire format (protocol), never the host's code.
  simulator: {
    path: '^server/simulator/',
    may: ['protocol', 'version', 'discovery', 'proof', 'httpListen'],
  },
  // The inspecting proxy forwards to someone else's host: the wire format and the linter's lock view,
  // never this host's code.
  proxy: { path: '^server/proxy/', may: ['contracts', 'protocol', 'faults', 'lint'] },
  // The conformance runner is a WOPI client too: the wire format and proof signing, never the host.
  conformance: { path: '^server/conformance/', may: ['contracts', 'protocol', 'proof', 'auth'] },
  // The host-page room owns the simulator (it runs on its own loopback port for the host page).
  hostpage: {
    path: '^server/hostpage/',
    may: [
      'contracts',
      'protocol',
      'auth',
      'config',
      'discovery',
      'discoveryRoom',
      'events',
      'simulator',
      'state',
      'storage',
    ],
  },
  core: {
    path: '^server/core\\.ts$',
    may: [
      'contracts',
      'auth',
      'config',
      'discovery',
      'events',
      'faults',
      'lifecycle',
      'lint',
      'state',
      'storage',
      'tunnel',
      'wopi',
    ],
  },
  api: {
    path: '^server/api/',
    may: [
      'contracts',
      'auth',
      'conformance',
      'core',
      'discoveryRoom',
      'events',
      'faults',
      'hostpage',
      'state',
      'storage',
      'tunnel',
      'wopi',
    ],
  },
  control: { path: '^server/control/', may: ['contracts', 'api', 'core', 'events'] },
  // The flag table and its reader are shared with main/, so they stay pure: profiles and URL
  // normalisers only.
  cliFlags: { path: '^server/cli/(flags|flag-parse)\\.ts$', may: ['discovery', 'tunnel'] },
  cli: {
    path: '^server/cli/(?!(flags|flag-parse)\\.ts$)',
    may: [
      'contracts',
      'version',
      'api',
      'auth',
      'cliFlags',
      'conformance',
      'config',
      'core',
      'events',
      'faults',
      'http',
      'storage',
      'tunnel',
      'workbench',
    ],
  },
  workbench: {
    path: '^server/workbench\\.ts$',
    may: [
      'contracts',
      'version',
      'api',
      'config',
      'control',
      'core',
      'discoveryRoom',
      'hostpage',
      'http',
      'proxy',
      'storage',
    ],
  },
  index: {
    path: '^server/index\\.ts$',
    may: ['contracts', 'api', 'config', 'events', 'state', 'workbench'],
  },
  // The desktop shell reaches the server only through its package entry and the shared flag table.
  // sampleFolder: the one exception; the desktop's first run makes the same sample copy as the CLI
  // (it would go if the package entry exported it).
  main: { path: '^main/', may: ['index', 'contracts', 'cliFlags', 'sampleFolder'] },
  renderer: { path: '^renderer/', may: ['contracts'] },
};

/** Targets that are single files inside another room (allowed to one importer, not the whole room). */
const FILES = {
  httpListen: '^server/http/listen\\.ts$',
  sampleFolder: '^server/config/sample-folder\\.ts$',
};

const pathOf = (name) => FILES[name] ?? ROOMS[name].path;

const LOW = ['contracts', 'protocol', 'state', 'storage', 'proof', 'auth', 'events', 'lint', 'faults'];
const HIGH = [
  'wopi',
  'http',
  'proxy',
  'hostpage',
  'simulator',
  'discoveryRoom',
  'api',
  'control',
  'cli',
  'core',
  'workbench',
];
const any = (names) => names.map(pathOf).join('|');

module.exports = {
  forbidden: [
    // Named rules for the constraints that matter most; the matrix (allowed) implies them, these
    // give the clearer message.
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, type-only ones included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'server-is-a-library',
      severity: 'error',
      comment: 'server/ never imports main/, renderer/ or test/.',
      from: { path: '^server/' },
      to: { path: '^(main|renderer|test)/' },
    },
    {
      name: 'contracts-stand-alone',
      severity: 'error',
      comment: 'server/contracts is shared with the browser: it imports nothing else from server/.',
      from: { path: ROOMS.contracts.path },
      to: { path: '^server/', pathNot: ROOMS.contracts.path },
    },
    {
      name: 'low-never-imports-high',
      severity: 'error',
      comment: 'State, storage, proof, auth, events, protocol and contracts sit under every room.',
      from: { path: any(LOW) },
      to: { path: any(HIGH) },
    },
    {
      name: 'workbench-is-the-top',
      severity: 'error',
      comment: 'Only the package entry and the CLI build a Workbench.',
      from: { pathNot: `${any(['index', 'cli'])}|${ROOMS.workbench.path}|^test/` },
      to: { path: ROOMS.workbench.path },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import the cruiser cannot resolve would escape every rule above.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  allowed: [
    {
      comment: 'packages and node: built-ins',
      from: {},
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'core'] },
    },
    { comment: 'test/ may import anything', from: { path: '^test/' }, to: {} },
    ...Object.entries(ROOMS).map(([name, room]) => ({
      comment: `${name} may import itself and: ${room.may.join(', ') || '(nothing else)'}`,
      from: { path: room.path },
      to: { path: [room.path, ...room.may.map(pathOf)].join('|') },
    })),
  ],
  allowedSeverity: 'error',
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|^dist/|^release/' },
    // Type-only imports are seen too (they vanish from the JavaScript, not from the design).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
