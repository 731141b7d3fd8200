import { detectPackageManager, getPackageManagerCommand, type PackageManager } from '@nx/devkit';
import type { TargetContext } from './targets/xtr-targets';

/**
 * The workspace's package manager, detected from its lock file. Its exec command is looked up
 * only when targets are built: for pnpm and yarn that runs the package manager to learn its
 * version, which a cache hit should not pay for.
 */
export class Workspace {
  readonly packageManager: PackageManager;
  private exec?: string;

  constructor(readonly root: string) {
    this.packageManager = detectPackageManager(root);
  }

  targetContext(): TargetContext {
    this.exec ??= getPackageManagerCommand(this.packageManager, this.root).exec;
    return { workspaceRoot: this.root, exec: this.exec };
  }
}
