const { pythonWithNumpy } = require('./tools/jest/python-with-numpy');

// Resolved once here so every test worker inherits it.
process.env.XTR_PYTHON = pythonWithNumpy();

const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];

/** Shared Jest settings: TypeScript through SWC (type checking is the `typecheck` target's job). */
module.exports = {
  testEnvironment: require.resolve('./tools/jest/node-environment.js'),
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Resolve workspace packages to their TypeScript sources, so tests never need a prior build.
  testEnvironmentOptions: { customExportConditions: ['@xtr-nx/source', 'node', 'node-addons'] },
  testTimeout: 60_000,
};
