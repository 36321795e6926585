// ESLint for the whole tree (issue 12 part 5): the recommended rules of ESLint,
// typescript-eslint and eslint-plugin-vue (essential: correctness, not formatting).
// Layering (DESIGN.md section 3) is dependency-cruiser's job (.dependency-cruiser.cjs),
// except the one rule that reads best here: only electron/main, electron/preload and
// the utilityProcess launcher import `electron`. Type-unaware rules only, so that
// `npm run lint` stays a matter of seconds on the build machines.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';

const electronOnlyIn = ['electron/main/**', 'electron/preload/**', 'electron/pools/electron-launcher.ts'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', '.vitest-cache/**', 'build/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/essential'],
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, sourceType: 'module' } },
  },
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        // Node and the browser, as far as the sources use them; TypeScript checks which side may.
        console: 'readonly', process: 'readonly', Buffer: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable',
        setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly',
        queueMicrotask: 'readonly', performance: 'readonly', structuredClone: 'readonly', URL: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly',
        window: 'readonly', document: 'readonly', navigator: 'readonly', requestAnimationFrame: 'readonly', cancelAnimationFrame: 'readonly',
      },
    },
    rules: {
      // Unused names are errors, except the `_`-prefixed ones that say "deliberately unused".
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // TypeScript already reports undefined names, with the right globals per tsconfig.
      'no-undef': 'off',
      // One-word component names (Icon, Sparkline) cannot clash with HTML elements we use.
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['electron/**/*.ts', 'shared/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.vue'],
    ignores: electronOnlyIn,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'only electron/main, electron/preload and the utilityProcess launcher import electron (DESIGN.md section 3)' }] },
      ],
    },
  },
);
