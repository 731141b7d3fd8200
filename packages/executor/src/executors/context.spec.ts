import { type ExecutorContext, logger } from '@nx/devkit';
import { executorContext } from './context';

function nxContext(projectName: string | undefined, isVerbose: boolean): ExecutorContext {
  return {
    root: '/ws',
    cwd: '/ws',
    isVerbose,
    projectName,
    projectsConfigurations: { version: 2, projects: { search: { root: 'apps/search' } } },
  } as unknown as ExecutorContext;
}

describe('executorContext', () => {
  it("resolves the project's own config when no config option is given", () => {
    expect(executorContext(undefined, nxContext('search', false))).toMatchObject({
      workspaceRoot: '/ws',
      projectRoot: 'apps/search',
      configPath: 'apps/search/xtr.config.json',
    });
  });

  it('uses the config option as given, relative to the workspace root', () => {
    expect(executorContext('configs/xtr.json', nxContext('search', false)).configPath).toBe('configs/xtr.json');
  });

  it('falls back to the workspace root for a task without a known project', () => {
    expect(executorContext(undefined, nxContext(undefined, false)).configPath).toBe('xtr.config.json');
  });

  it('protects the workspace root and every project root from being replaced by an output', () => {
    expect(executorContext(undefined, nxContext('search', false)).protect).toEqual([
      { path: '/ws', what: 'the workspace root' },
      { path: '/ws/apps/search', what: 'the root of project search' },
    ]);
  });

  it("logs through Nx's logger and carries --verbose", () => {
    const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    const error = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    try {
      const { logger: log } = executorContext(undefined, nxContext('search', true));
      log.info('built');
      log.error('failed');
      expect(log.isVerbose).toBe(true);
      expect(info).toHaveBeenCalledWith('built');
      expect(error).toHaveBeenCalledWith('failed');
    } finally {
      info.mockRestore();
      error.mockRestore();
    }
  });
});
