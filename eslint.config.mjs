import nx from '@nx/eslint-plugin';
import * as jsoncParser from 'jsonc-eslint-parser';

/**
 * House rules enforced: data flows one way (catalog, encoder and storage import none of each
 * other nor the executor; the executor builds on all three; tools may use everything), and no
 * package reaches into another's internals. Formatting is Prettier's job, not ESLint's.
 */
export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/out-tsc', '**/node_modules', '**/coverage', '.nx'] },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          banTransitiveDependencies: true,
          checkNestedExternalImports: true,
          allow: [],
          depConstraints: [
            { sourceTag: 'layer:engine', onlyDependOnLibsWithTags: [] },
            // Search reads indexes (storage) and encodes queries (encoder): above the engines.
            { sourceTag: 'layer:search', onlyDependOnLibsWithTags: ['layer:engine'] },
            { sourceTag: 'layer:executor', onlyDependOnLibsWithTags: ['layer:engine', 'layer:search'] },
            { sourceTag: 'layer:tools', onlyDependOnLibsWithTags: ['layer:engine', 'layer:search', 'layer:executor'] },
          ],
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@xtr-nx/*/src/*', '@xtr-nx/*/dist/*', '@xtr-nx/*/lib/*'],
              message: 'Import a package through its entry point (its src/index.ts exports), not its internals.',
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests poke at deliberately malformed JSON.
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Published packages declare exactly what their code imports.
    files: ['packages/*/package.json'],
    languageOptions: { parser: jsoncParser },
    rules: {
      '@nx/dependency-checks': [
        'error',
        {
          ignoredFiles: [
            '{projectRoot}/**/*.spec.ts',
            '{projectRoot}/src/test-utils/**',
            '{projectRoot}/jest.config.js',
          ],
          // Nx plugins declare the nx they run in as a peer, as @nx/* packages do.
          ignoredDependencies: ['nx'],
        },
      ],
    },
  },
];
