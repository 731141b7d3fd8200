import { join } from 'node:path';
import { type ExecutorContext, logger } from '@nx/devkit';
import { CONFIG_FILE_NAME } from '../../config/xtr-config';
import { reportFailure } from '../../run-logger';
import { runVerify, verifyTargetFromConfig } from '../../verify/run-verify';
import type { VerifyExecutorSchema } from './schema';

/** `@xtr-nx/executor:verify`: proves the project's XTR index is complete and uncorrupted. */
export default async function verifyExecutor(options: VerifyExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const { config, ...overrides } = options;
  const projectRoot = context.projectsConfigurations.projects[context.projectName ?? '']?.root ?? '.';
  try {
    const target = verifyTargetFromConfig(config ?? join(projectRoot, CONFIG_FILE_NAME), overrides, context.root);
    return { success: await runVerify(target, context.root, logger) };
  } catch (error) {
    reportFailure('verify', error, logger);
    return { success: false };
  }
}
