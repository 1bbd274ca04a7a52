/**
 * Readers for the programs a launcher line can start: gunicorn, celery, uwsgi, uvicorn,
 * hypercorn, `manage.py runserver`, the distributed-training launchers (trainingLaunchers.ts), and
 * plain `python script.py` / `python -m module`.
 * Each turns an argv (already stripped of wrappers and variable assignments) into a Launch.
 */
import * as path from 'path';
import type { LaunchSite, Launch } from './launch';
import { singleProgram } from './launch';
import type { Span, SymbolRef } from '../model/facts';
import { scanOptions } from './options';
import { CountReading, countFromWord, known, unknown, CPU_COUNT } from './counts';
import { findFile, peekCeleryConcurrency, peekGunicornConf, peekSettingsModule, peekText, scriptModuleName } from './peek';
import { isStreamName, literalPath } from './logPath';
import { canonicalUwsgiKey, uwsgiLaunch } from './uwsgiSettings';
import { configFileSection, resolvePlaceholders, settingsOf, UwsgiOption, withEnvironment } from './uwsgiOptions';
import { parseShellWords } from './shellWords';
import { trainingLaunch } from './trainingLaunchers';

export function programLaunch(program: string, argv: string[], site: LaunchSite): Launch | undefined {
  switch (program) {
    case 'gunicorn':
      return gunicornLaunch(argv, site);
    case 'celery':
      return celeryLaunch(argv, site);
    case 'uwsgi':
      return uwsgiCommandLaunch(argv, site);
    case 'uvicorn':
    case 'hypercorn':
      return asgiLaunch(program, argv, site);
    case 'django-admin':
      return argv[0] === 'runserver' ? runserverLaunch(undefined, argv.slice(1), site) : undefined;
    case 'torchrun':
      return trainingLaunch('torchrun', argv, site);
    case 'deepspeed':
      return trainingLaunch('deepspeed', argv, site);
    case 'accelerate':
      return argv[0] === 'launch' ? trainingLaunch('accelerate', argv.slice(1), site) : undefined;
    default:
      return undefined;
  }
}

const PYTHON_VALUED_OPTIONS = new Set(['-X', '-W', '--check-hash-based-pycs']);

/** `python manage.py runserver`, `python -m gunicorn`, `python app.py`. */
export function pythonLaunch(argv: string[], site: LaunchSite): Launch | undefined {
  let i = 0;
  // Interpreter options; `-X dev`, `-W ignore` take the next word.
  while (i < argv.length && argv[i].startsWith('-') && argv[i] !== '-m') i += PYTHON_VALUED_OPTIONS.has(argv[i]) ? 2 : 1;
  if (argv[i] === '-m') {
    const module = argv[i + 1];
    if (!module) return undefined;
    if (module === 'torch.distributed.run' || module === 'torch.distributed.launch') return trainingLaunch('torchrun', argv.slice(i + 2), site);
    const program = module.split('.')[0];
    const delegated = programLaunch(program, argv.slice(i + 2), site);
    if (delegated) return delegated;
    return singleProgram(module, `python -m ${module}`, argv.slice(i + 2));
  }
  const script = argv[i];
  if (!script || !/\.pyw?$/.test(script)) return undefined;
  const rest = argv.slice(i + 1);
  if (path.basename(script) === 'manage.py' && rest[0] === 'runserver') return runserverLaunch(script, rest.slice(1), site);
  if (path.basename(script) === 'manage.py') return undefined;
  const absolute = findFile(script, site.dirs) ?? path.resolve(site.dirs[0], script);
  return singleProgram(scriptModuleName(absolute, site.workspaceRoot), `python ${script}`, rest);
}


const GUNICORN_OPTIONS = {
  valued: {
    workers: ['-w', '--workers'],
    config: ['-c', '--config'],
    logConfig: ['--log-config'],
    logConfigJson: ['--log-config-json'],
    errorLog: ['--error-logfile', '--log-file'],
    accessLog: ['--access-logfile'],
    workerClass: ['-k', '--worker-class'],
    threads: ['--threads'],
    bind: ['-b', '--bind'],
    chdir: ['--chdir'],
    env: ['-e', '--env'],
    other: ['-t', '--timeout', '-n', '--name', '--log-level', '--max-requests', '--max-requests-jitter', '-p', '--pid', '--pythonpath', '-g', '--group', '-u', '--user', '--graceful-timeout', '--keep-alive', '--worker-connections', '--forwarded-allow-ips', '--access-logformat', '--paste', '--log-config-dict', '--statsd-host', '-m', '--umask', '--worker-tmp-dir', '--backlog', '--limit-request-line'],
  },
  flags: { preload: ['--preload'], reload: ['--reload'], daemon: ['-D', '--daemon'], other: ['--capture-output', '--check-config', '--print-config', '--no-sendfile', '--reuse-port', '--enable-stdio-inheritance'] },
};

/** Who writes gunicorn's own log files, for related information. */
export const GUNICORN_ERROR_LOG = 'gunicorn error log: written by the master and by every worker';
export const GUNICORN_ACCESS_LOG = 'gunicorn access log: written by every worker (the master serves no requests)';

function gunicornLaunch(argv: string[], site: LaunchSite): Launch {
  // GUNICORN_CMD_ARGS is read before the command line, which wins over it.
  const fromEnv = site.env.get('GUNICORN_CMD_ARGS');
  const envArgs = fromEnv ? parseShellWords(fromEnv.value).words : [];
  const options = scanOptions([...envArgs, ...argv], GUNICORN_OPTIONS);
  const notes: string[] = [];
  const dirs = options.values.has('chdir') ? [path.resolve(site.dirs[0], options.values.get('chdir')!), ...site.dirs] : site.dirs;
  // gunicorn reads ./gunicorn.conf.py by default when no -c is given.
  const confName = options.values.get('config');
  // `-c python:deploy.webconf` names a module: deploy/webconf.py (or its package's __init__).
  const confFile = confName === undefined ? findFile('gunicorn.conf.py', dirs)
    : confName.startsWith('python:') ? moduleConfFile(confName.slice('python:'.length), dirs)
    : findFile(confName, dirs);
  const conf = confFile ? peekGunicornConf(confFile) : undefined;
  let count: CountReading | undefined;
  const workersWord = options.values.get('workers');
  if (workersWord !== undefined) count = countFromWord(workersWord, site.span);
  if (!count && conf?.workers) {
    count = conf.workers;
    notes.push(`workers from ${path.relative(site.workspaceRoot, conf.file)}`);
  }
  if (!count) {
    const webConcurrency = site.env.get('WEB_CONCURRENCY');
    if (webConcurrency) {
      count = countFromWord(webConcurrency.value, site.span);
      if (count) notes.push(`WEB_CONCURRENCY=${webConcurrency.value} from ${webConcurrency.from}`);
    }
  }
  if (!count) count = known(1, site.span, 'gunicorn default: 1 worker (WEB_CONCURRENCY unset)');
  const preload = options.flags.has('preload') || conf?.preload === true;
  const app = options.positionals[0] ?? conf?.wsgiApp;
  const launch: Launch = {
    mechanism: 'gunicorn',
    count,
    entryModules: app ? [appModule(app)] : [],
    childConfigFiles: [],
    configLoads: [],
    parentAlsoRuns: preload,
    startMethod: 'fork',
    // `app:create_app()`: gunicorn calls the factory where it loads the app: in each worker,
    // or once in the master with --preload (the workers inherit the app it built).
    initializers: app && !preload ? appFactory(app, site.span) : [],
    parentInitializers: app && preload ? appFactory(app, site.span) : undefined,
    ownLogFiles: [],
    summary: `gunicorn${confName !== undefined ? ` -c ${confName}` : ''}${workersWord !== undefined ? ` -w ${workersWord}` : ''}${preload ? ' --preload' : ''}${app ? ` ${app}` : ''}`,
    notes,
  };
  if (preload) notes.push('--preload: the master imports the app before forking, so workers inherit its handlers');
  // The config module runs in this server's master (and so its workers) with the command line's
  // options over its own: this start stands for the one the module declares by itself.
  if (conf) launch.supersedes = [conf.file];
  const logConfig = options.values.get('logConfig') ?? options.values.get('logConfigJson') ?? conf?.logconfig;
  if (logConfig) {
    launch.configLoads.push({ file: logConfig });
    const absolute = findFile(logConfig, dirs);
    if (absolute) launch.childConfigFiles.push(absolute);
    notes.push(`--log-config ${logConfig}: configured in the master, inherited by every worker`);
  }
  const errorLog = options.values.get('errorLog');
  if (errorLog && !isStreamName(errorLog)) {
    launch.ownLogFiles.push({ className: 'gunicorn --error-logfile', path: literalPath(errorLog, 'shell'), note: GUNICORN_ERROR_LOG });
  }
  // Only workers serve requests: the master opens the access log but never writes to it.
  const accessLog = options.values.get('accessLog');
  if (accessLog && !isStreamName(accessLog)) {
    launch.ownLogFiles.push({ className: 'gunicorn --access-logfile', path: literalPath(accessLog, 'shell'), note: GUNICORN_ACCESS_LOG, childrenOnly: true });
  }
  return launch;
}

/** `proj.wsgi:application` → `proj.wsgi`; `app:create_app()` → `app`. */
export function appModule(app: string): string {
  return app.split(':')[0].trim();
}

/** `module:factory(...)`: the factory, as a function the app's processes run. */
function appFactory(app: string, span: Span): SymbolRef[] {
  const m = /^\s*([\w.]+)\s*:\s*([A-Za-z_]\w*)\s*\(/.exec(app);
  return m ? [{ fromModule: m[1], name: `${m[1]}.${m[2]}`, span }] : [];
}

const CELERY_OPTIONS = {
  valued: {
    app: ['-A', '--app'],
    concurrency: ['-c', '--concurrency'],
    pool: ['-P', '--pool'],
    logfile: ['-f', '--logfile'],
    autoscale: ['--autoscale'],
    other: ['-l', '--loglevel', '-n', '--hostname', '-Q', '--queues', '-b', '--broker', '--result-backend', '--config', '--workdir', '-O', '--pidfile', '-s', '--schedule', '-E', '--max-tasks-per-child', '--max-memory-per-child', '--prefetch-multiplier', '-X', '--exclude-queues', '-I', '--include', '--time-limit', '--soft-time-limit', '--uid', '--gid'],
  },
  flags: { beat: ['-B', '--beat'], other: ['--without-gossip', '--without-mingle', '--without-heartbeat', '-D', '--detach', '--quiet', '--no-color'] },
};

function celeryLaunch(argv: string[], site: LaunchSite): Launch | undefined {
  const options = scanOptions(argv, CELERY_OPTIONS);
  const command = options.positionals.find((p) => /^(worker|beat|multi|flower|shell|inspect|call|purge|events|status|control|result|migrate|graph|upgrade|report|amqp|list|logtool)$/.test(p));
  if (command !== 'worker' && command !== 'multi') return undefined;
  const app = options.values.get('app');
  const entryModules = app ? [appModule(app)] : [];
  const notes: string[] = [];
  const pool = options.values.get('pool');
  let count: CountReading | undefined;
  let parentAlsoRuns = true;
  if (pool && /^(solo|threads|gevent|eventlet)$/.test(pool)) {
    count = known(1, site.span, `pool ${pool}: one process`);
    parentAlsoRuns = false;
  } else {
    const concurrency = options.values.get('concurrency');
    const autoscale = options.values.get('autoscale');
    if (concurrency !== undefined) count = countFromWord(concurrency, site.span);
    else if (autoscale !== undefined) count = countFromWord(autoscale.split(',')[0], site.span);
    if (!count && app) count = peekCeleryConcurrency(appModule(app), site.dirs);
    if (!count) count = unknown(CPU_COUNT, 2, site.span, 'Celery prefork default: one child per CPU');
    notes.push('prefork: the main process imports the app and tasks before forking the pool');
  }
  if (command === 'multi') notes.push('celery multi: one such worker per node name');
  const launch: Launch = {
    mechanism: 'celery',
    count,
    entryModules,
    childConfigFiles: [],
    configLoads: [],
    parentAlsoRuns,
    startMethod: 'fork',
    initializers: [],
    ownLogFiles: [],
    summary: `celery${app ? ` -A ${app}` : ''} ${command}${options.values.has('concurrency') ? ` -c ${options.values.get('concurrency')}` : ''}${pool ? ` -P ${pool}` : ''}`,
    notes,
  };
  const logfile = options.values.get('logfile');
  if (logfile && !isStreamName(logfile)) {
    launch.ownLogFiles.push({ className: 'celery --logfile', path: literalPath(logfile, 'celery'), note: 'celery --logfile: opened by the main process and by every pool child' });
  }
  return launch;
}

/** Options naming a config file to read in place (`--ini uwsgi.ini`, `--yaml app.yml:prod`). */
const UWSGI_CONFIG_OPTIONS = new Set(['ini', 'yaml', 'yml', 'json']);
/** A bare argument uWSGI reads as a config file (`uwsgi uwsgi.ini` is `uwsgi --ini uwsgi.ini`). */
const UWSGI_CONFIG_FILE = /\.(ini|ya?ml|json)(:[\w-]+)?$/i;

function uwsgiCommandLaunch(argv: string[], site: LaunchSite): Launch | undefined {
  // uWSGI splices a config file's options in where the command line names it: options after
  // `--ini uwsgi.ini` override the file's, options before it are overridden by it.
  const options: UwsgiOption[] = [];
  const configFiles: string[] = [];
  const include = (written: string): boolean => {
    const [name, section] = written.split(/:(?=[\w-]+$)/);
    const file = findFile(name, site.dirs);
    const text = file ? peekText(file) : undefined;
    const read = file && text !== undefined ? configFileSection(file, text, section) : undefined;
    if (!file || !read) return false;
    configFiles.push(file);
    options.push(...withEnvironment(read.options, site.env));
    return true;
  };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (!word.startsWith('-')) {
      // A config file we cannot read: what it runs is unknown here (its own reader may see it).
      if (UWSGI_CONFIG_FILE.test(word) && !include(word)) return undefined;
      continue;
    }
    const eq = word.indexOf('=');
    const key = (eq === -1 ? word : word.slice(0, eq)).replace(/^-+/, '');
    let value = '';
    if (eq !== -1) value = word.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('-')) value = argv[++i];
    if (UWSGI_CONFIG_OPTIONS.has(canonicalUwsgiKey(key))) {
      if (!include(value)) return undefined;
      continue;
    }
    options.push({ key, value, span: site.span });
  }
  const settings = settingsOf(resolvePlaceholders(options));
  const named = configFiles.map((f) => path.relative(site.dirs[0], f).replace(/\\/g, '/')).join(' ');
  const launch = uwsgiLaunch(settings, site.dirs[0], site.workspaceRoot, configFiles.length ? `uwsgi ${named}` : 'uwsgi');
  // This command line's start stands for the files' own (processModel drops those).
  if (configFiles.length) launch.supersedes = configFiles;
  return launch;
}

function asgiLaunch(program: string, argv: string[], site: LaunchSite): Launch {
  const options = scanOptions(argv, { valued: { workers: ['-w', '--workers'], other: ['--host', '--port', '-b', '--bind', '--log-config', '--env-file', '--app-dir', '--root-path', '-k', '--worker-class'] }, flags: {} });
  const workers = options.values.get('workers');
  const count = (workers !== undefined ? countFromWord(workers, site.span) : undefined) ?? known(1, site.span, `${program} default: 1 process`);
  const app = options.positionals[0];
  return {
    mechanism: 'other',
    count,
    entryModules: app ? [appModule(app)] : [],
    childConfigFiles: [],
    configLoads: [],
    // uvicorn/hypercorn start workers with multiprocessing's spawn: each re-imports the app.
    startMethod: 'spawn',
    initializers: [],
    ownLogFiles: [],
    summary: `${program}${workers !== undefined ? ` --workers ${workers}` : ''}${app ? ` ${app}` : ''}`,
    notes: [],
    single: workers === undefined,
  };
}

function runserverLaunch(managePy: string | undefined, argv: string[], site: LaunchSite): Launch {
  const options = scanOptions(argv, { valued: { settings: ['--settings'], other: ['--pythonpath', '-v', '--verbosity'] }, flags: { noreload: ['--noreload'], other: ['--nothreading', '--ipv6', '-6', '--nostatic', '--insecure', '--skip-checks'] } });
  const manageFile = managePy ? findFile(managePy, site.dirs) : undefined;
  const settings = options.values.get('settings') ?? site.env.get('DJANGO_SETTINGS_MODULE')?.value ?? (manageFile ? peekSettingsModule(manageFile) : undefined);
  const noreload = options.flags.has('noreload');
  return {
    mechanism: 'django-runserver',
    count: noreload ? known(1, site.span, '--noreload: one process') : known(2, site.span, 'the autoreloader parent and the server child both import the settings'),
    entryModules: settings ? [settings] : [],
    childConfigFiles: [],
    configLoads: [],
    startMethod: 'spawn',
    initializers: [],
    ownLogFiles: [],
    summary: `manage.py runserver${noreload ? ' --noreload' : ''}`,
    notes: [],
  };
}

function moduleConfFile(module: string, dirs: string[]): string | undefined {
  const relative = module.split('.').join('/');
  return findFile(`${relative}.py`, dirs) ?? findFile(`${relative}/__init__.py`, dirs);
}
