const { TestEnvironment } = require('jest-environment-node');

/**
 * Jest runs tests in a separate realm, so typed arrays created by native addons
 * (onnxruntime-node, DuckDB) fail `instanceof` checks against the test realm's constructors.
 * Sharing Node's own constructors makes native and test code agree.
 */
const SHARED = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Buffer',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

module.exports = class NativeTypedArrayEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
};
