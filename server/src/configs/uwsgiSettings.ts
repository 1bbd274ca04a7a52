/**
 * uWSGI settings, whether from uwsgi.ini, uwsgi.yaml or `uwsgi --processes 4 ...` (expanded and
 * merged in uwsgiOptions.ts): `processes`/`workers`, `master`, `lazy-apps`, `module`,
 * `wsgi-file`, `chdir`, `logto`.
 */
import * as path from 'path';
import type { Span } from '../model/facts';
import type { Launch } from './launch';
import { CountReading, countFromWord, known, unknown } from './counts';
import { scriptModuleName } from './peek';

export interface UwsgiSetting {
  value: string;
  span: Span;
}

/** uWSGI option aliases: `p` = processes = workers, `w` = module. */
const ALIASES: Record<string, string> = { p: 'processes', workers: 'processes', w: 'module', file: 'wsgi-file', M: 'master', 'log-to': 'logto', 'lazy': 'lazy-apps' };

export function canonicalUwsgiKey(key: string): string {
  const k = key.replace(/^-+/, '').replace(/_/g, '-');
  return ALIASES[k] ?? k;
}

const TRUE = /^(true|1|yes|on|)$/i;

export function uwsgiLaunch(settings: Map<string, UwsgiSetting>, configDir: string, workspaceRoot: string, summaryPrefix: string): Launch {
  const processes = settings.get('processes');
  let count: CountReading = known(1, undefined, 'uWSGI default: 1 worker');
  // A value left unexpanded (`%(n + 1)`, a placeholder named nowhere) is not one worker.
  if (processes) count = countFromWord(processes.value, processes.span) ?? unknown(`\`processes = ${processes.value}\``, undefined, processes.span);
  const master = settings.has('master') && TRUE.test(settings.get('master')!.value);
  const lazyApps = settings.has('lazy-apps') && TRUE.test(settings.get('lazy-apps')!.value);
  const entryModules: string[] = [];
  const moduleSetting = settings.get('module');
  if (moduleSetting) entryModules.push(moduleSetting.value.split(':')[0].trim());
  const wsgiFile = settings.get('wsgi-file');
  if (wsgiFile) {
    const chdir = settings.get('chdir')?.value;
    const base = chdir && !chdir.startsWith('/') ? path.resolve(configDir, chdir) : configDir;
    const absolute = path.isAbsolute(wsgiFile.value) ? wsgiFile.value : path.resolve(base, wsgiFile.value);
    entryModules.push(scriptModuleName(absolute, workspaceRoot));
  }
  const notes: string[] = [];
  // Without lazy-apps uWSGI loads the app once and forks the workers: module-level handlers are
  // created before the fork and shared by every worker (and the master keeps them too).
  if (!lazyApps) notes.push('the app is loaded before forking (no lazy-apps), so its handlers are inherited by every worker');
  else notes.push('lazy-apps: every worker imports the app itself');
  const launch: Launch = {
    mechanism: 'uwsgi',
    count,
    entryModules,
    childConfigFiles: [],
    configLoads: [],
    parentAlsoRuns: !lazyApps && master,
    startMethod: 'fork',
    initializers: [],
    ownLogFiles: [],
    summary: `${summaryPrefix}${processes ? ` processes=${processes.value}` : ''}${master ? ' master' : ''}${lazyApps ? ' lazy-apps' : ''}`,
    notes,
  };
  // `logto` is not reported: uWSGI redirects each process's stderr to it (whole lines, O_APPEND)
  // and rotates it itself with `log-maxsize`; it is not a Python handler racing on rollover.
  return launch;
}
