const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

/**
 * The python3 that interop tests run: the first one on PATH that can import numpy.
 * Task runners put Node's own bin folder first on PATH, and it may hold a system python3
 * without numpy, so "python3" alone is not enough. $XTR_PYTHON, when set, wins.
 */
function pythonWithNumpy() {
  if (process.env.XTR_PYTHON) return process.env.XTR_PYTHON;
  const candidates = [
    ...new Set(
      (process.env.PATH || '')
        .split(':')
        .filter(Boolean)
        .map((dir) => join(dir, 'python3')),
    ),
  ];
  const found = candidates.find((python) => spawnSync(python, ['-c', 'import numpy']).status === 0);
  if (!found)
    throw new Error(`No python3 with numpy on PATH (tried ${candidates.join(', ')}). Install numpy or set XTR_PYTHON.`);
  return found;
}

module.exports = { pythonWithNumpy };
