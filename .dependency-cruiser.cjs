/**
 * The layering of DESIGN.md section 3, checked on every `npm test` (issue 12 part 5):
 * shared imports nothing of ours; the renderer imports only shared and itself; only
 * electron/main, electron/preload and the utilityProcess launcher import `electron`;
 * nothing imports electron/cli but the CLI itself, bin/ and its tests; and no import
 * cycle, type-only imports included (a cycle of types is still a tangle for a reader).
 */
/**
 * Cycles known when the rule landed, each being taken apart; remove its line as it
 * goes. electron/pageserver: every module takes the whole Pageserver of process.ts
 * (issue 12 part 2).
 */
const KNOWN_CYCLES = ['^electron/pageserver/'];

module.exports = {
  forbidden: [
    {
      name: 'shared-imports-nothing-of-ours',
      comment: 'shared/ is the contract of both sides: pure TypeScript that imports no other part of the project',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(electron|renderer|test|bench|bin|build)/' },
    },
    {
      name: 'renderer-imports-shared-and-itself',
      comment: 'the renderer runs untrusted in the page: it reaches the backend only through shared/protocol',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^(electron|test|bench|bin|build)/' },
    },
    {
      name: 'electron-only-in-main-preload-launcher',
      comment: 'only electron/main, electron/preload and the utilityProcess launcher import electron (tests cannot load it)',
      severity: 'error',
      from: { path: '^(electron|shared|renderer)/', pathNot: '^electron/(main/|preload/|pools/electron-launcher\\.ts$)' },
      to: { path: '^node_modules/electron/' },
    },
    {
      name: 'cli-only-from-cli-and-bin',
      comment: 'electron/cli is the command line: the Lab, main and the model do not depend on it',
      severity: 'error',
      from: { path: '^(electron|shared|renderer)/', pathNot: '^electron/cli/' },
      to: { path: '^electron/cli/' },
    },
    {
      name: 'no-cycles',
      comment: 'no import cycle, type-only imports included',
      severity: 'error',
      from: { path: '^(electron|shared|renderer/src)/', pathNot: KNOWN_CYCLES },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.vue', '.js', '.mjs', '.cjs', '.json'] },
    exclude: { path: '^(out|dist|node_modules)/' },
  },
};
