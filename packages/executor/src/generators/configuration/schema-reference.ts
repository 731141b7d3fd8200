import { joinPathFragments, offsetFromRoot, type Tree } from '@nx/devkit';
import { CONFIG_SCHEMA_PATH, PACKAGE_NAME } from '../../config/defaults';

/**
 * `$schema` for a new config: the schema in the installed package, relative to the project, so
 * editors validate and complete the file offline. Omitted where there is no such file to point
 * at (the package not installed yet, or installed without a node_modules folder).
 */
export function schemaReference(tree: Tree, projectRoot: string): { $schema?: string } {
  const installed = joinPathFragments('node_modules', PACKAGE_NAME, CONFIG_SCHEMA_PATH);
  return tree.exists(installed) ? { $schema: `${offsetFromRoot(projectRoot)}${installed}` } : {};
}
