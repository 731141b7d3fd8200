import type { ExecutorContext } from '@nx/devkit';
import { reportFailure } from '../../run-logger';
import { runVerify, verifyTargetFromConfig } from '../../verify/run-verify';
import { executorContext } from '../context';
import type { VerifyExecutorSchema } from './schema';

/** `@xtr-nx/executor:verify`: proves the project's XTR index is complete and uncorrupted. */
export default async function verifyExecutor(
  options: VerifyExecutorSchema,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const { config, ...overrides } = options;
  const { workspaceRoot, configPath, logger } = executorContext(config, context);
  try {
    const target = verifyTargetFromConfig(configPath, overrides, workspaceRoot);
    return { success: await runVerify(target, workspaceRoot, logger) };
  } catch (error) {
    reportFailure('verify', error, logger);
    return { success: false };
  }
}
