import { realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PACKAGE_NAME } from '../../config/defaults';

/** This package's folder: `src/plugins/targets` and `dist/plugins/targets` both sit three levels down. */
const PACKAGE_ROOT = join(__dirname, '../../..');

/** `node <xtr bin> fingerprint …`, relative to the workspace root where Nx runs runtime inputs. */
export function fingerprintCommand(configFile: string, workspaceRoot: string): string {
  const bin = relative(workspaceRoot, join(PACKAGE_ROOT, 'bin/xtr.js')).split('\\').join('/');
  return `node ${JSON.stringify(bin)} fingerprint --cache-key --config ${JSON.stringify(configFile)}`;
}

/**
 * The given engines, plus this package when it is installed from the registry. When the
 * workspace is this package's own source, it is a project, not an npm node, and its builds are
 * inputs instead.
 */
export function externalPackages(workspaceRoot: string, engines: readonly string[]): string[] {
  const packageRoot = realpathSync(PACKAGE_ROOT);
  const installed = packageRoot.split(/[\\/]/).includes('node_modules');
  const inWorkspace = !relative(workspaceRoot, packageRoot).startsWith('..');
  return installed || !inWorkspace ? [PACKAGE_NAME, ...engines] : [...engines];
}
