/**
 * What a launcher line starts, independent of where the line lives (Procfile, Dockerfile,
 * compose, systemd, supervisord, shell script, Makefile): a program, how many processes of it,
 * which modules each imports, which log files the program itself opens.
 */
import type { ScopeId, Span, StartMechanism, StartMethod, SymbolRef, FileFacts, ProcessStart, HandlerSite, LogPath } from '../model/facts';
import { configScope, LAUNCH_COPY_NUMBER, LAUNCH_VALUE_PER_COPY } from '../model/facts';
import type { Environment } from './env';
import { placeholder, readableCommand } from './env';
import type { LineIndex } from './spans';
import { CountReading, known, multiply } from './counts';
import { PROCESS_NUMBER } from './logPath';

/** Where a command line was found. */
export interface LaunchSite {
  file: string;
  lines: LineIndex;
  /** The line that starts the program (0-based), and its span: related information. */
  line: number;
  span: Span;
  /** Human label for messages: `Procfile:1`, `docker-compose.yml:12 (service web)`. */
  label: string;
  /** The launcher's scope: `configScope(file)`. */
  scope: ScopeId;
  env: Environment;
  /** Directories relative file names are looked up in, most specific first. */
  dirs: string[];
  workspaceRoot: string;
  /** Keys of the launchers that run this line concurrently with others (`ProcessStart.together`). */
  together?: string[];
  /** A shell loop's variable, different in every copy the loop starts (`for i in 1 2 3`). */
  copyVariable?: string;
  /** The environment variable the launcher numbers the copies of this line with (`ProcessStart.instanceVar`). */
  instanceVar?: string;
}

/** A log file the launched program opens itself (gunicorn --error-logfile, celery --logfile). */
export interface OwnLogFile {
  className: string;
  path: LogPath;
  note: string;
  /** Written only by the children, not by the parent that opens it (gunicorn's access log). */
  childrenOnly?: boolean;
}

export interface Launch {
  mechanism: StartMechanism;
  /** Processes that run the app code. */
  count: CountReading;
  entryModules: string[];
  /** Config files whose handlers every child has (gunicorn --log-config). */
  childConfigFiles: string[];
  /** Log configs the program loads in its parent before forking: `{file as written}`. */
  configLoads: { file: string }[];
  parentAlsoRuns?: boolean;
  startMethod?: StartMethod;
  initializers: SymbolRef[];
  /** Functions the parent runs before forking (`ProcessStart.parentInitializers`). */
  parentInitializers?: SymbolRef[];
  ownLogFiles: OwnLogFile[];
  /** `gunicorn -w 4 proj.wsgi:application`. */
  summary: string;
  /** Extra words for the description: defaults, what the count depends on. */
  notes: string[];
  /** A plain program (one process): only multipliers around it make it several. */
  single?: boolean;
  /** `entryModules` run as `__main__` (a script or `python -m`), main guard included. */
  runsAsMain?: boolean;
  /** Launcher config files this line reads and runs with its own options (`ProcessStart.supersedes`). */
  supersedes?: string[];
  /** The variables the program starts with, its command's own `VAR=x` included. */
  environment?: Environment;
  /** The words after a Python script or `-m module`: its own command line (`ProcessStart.launchArgs`). */
  scriptArgs?: string[];
}

/**
 * A value as the program gets it, as far as the workspace says: LAUNCH_VALUE_PER_COPY when a
 * loop's variable makes it differ in every copy; supervisord's copy number as LAUNCH_COPY_NUMBER
 * (copies of two programs share numbers); else as written.
 */
function launchValue(value: string, copyVariable: string | undefined): string {
  if (copyVariable !== undefined && value.includes(placeholder.variable(copyVariable))) return LAUNCH_VALUE_PER_COPY;
  return value
    .replace(/%\(process_num\)(\d*d)/g, (_, format: string) => `${LAUNCH_COPY_NUMBER} %${format}>`)
    .split(PROCESS_NUMBER).join(`${LAUNCH_COPY_NUMBER} %d>`);
}

/**
 * The variables whose values the workspace says, for `ProcessStart.launchEnv`: a value with a
 * part nobody knows (`$HOST`, `$(date)`) is left out (see launchValue for the rest).
 */
function knownValues(env: Environment, copyVariable: string | undefined): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let any = false;
  for (const [name, written] of env.values()) {
    const value = launchValue(written, copyVariable);
    if (value.includes('@@')) continue;
    out[name] = value;
    any = true;
  }
  return any ? out : undefined;
}

/** One plain program run as `__main__`: a script or `python -m module`, with its own command line. */
export function singleProgram(module: string, summary: string, scriptArgs: string[]): Launch {
  return { mechanism: 'other', count: known(1), entryModules: [module], childConfigFiles: [], configLoads: [], initializers: [], ownLogFiles: [], summary, notes: [], single: true, runsAsMain: true, scriptArgs };
}

/** The scope of what one launcher line runs by itself (gunicorn's own log files). */
export function launchLineScope(file: string, line: number): ScopeId {
  return `${configScope(file)}#L${line + 1}`;
}

/** The part of a launcher line's own scope that only its children run (`childOnlyScopes`). */
export function childOnlyLineScope(file: string, line: number): ScopeId {
  return `${launchLineScope(file, line)}/children`;
}

/** How many copies of the whole launch run (compose replicas, supervisord numprocs, ...). */
export interface Multiplier {
  reading: CountReading;
  mechanism?: StartMechanism;
  words: string;
}

/** Writes one launch as facts: a ProcessStart, its own log files, its log-config loads. */
export function emitLaunch(facts: FileFacts, launch: Launch, site: LaunchSite, multiplier?: Multiplier): void {
  let count = launch.count;
  if (multiplier) count = multiply(launch.count, multiplier.reading);
  // One plain process is a writer only beside others: copies of it, or programs run with it.
  if (launch.single && !multiplier && !site.together?.length) return;
  const ownScope = launchLineScope(site.file, site.line);
  const childOnlyScope = childOnlyLineScope(site.file, site.line);
  const childScopes = launch.childConfigFiles.map(configScope);
  if (launch.ownLogFiles.some((own) => !own.childrenOnly)) childScopes.push(ownScope);
  const mechanism = launch.single && multiplier?.mechanism ? multiplier.mechanism : launch.mechanism;
  const notes = [...launch.notes, count.note].filter((n): n is string => Boolean(n));
  const described = readableCommand([launch.summary, multiplier ? multiplier.words : ''].filter(Boolean).join(' '));
  const start: ProcessStart = {
    mechanism,
    span: site.span,
    scope: site.scope,
    targets: [],
    initializers: launch.initializers,
    entryModules: launch.entryModules,
    childScopes,
    count: count.count,
    description: `${described} (${site.label})${notes.length ? `; ${[...new Set(notes)].join('; ')}` : ''}`,
  };
  if (launch.ownLogFiles.some((own) => own.childrenOnly)) start.childOnlyScopes = [childOnlyScope];
  // One process per copy: the multiplier's words say the whole count.
  if (multiplier && launch.single) start.countInDescription = true;
  if (launch.parentAlsoRuns) start.parentAlsoRuns = true;
  if (launch.parentInitializers?.length) start.parentInitializers = launch.parentInitializers;
  if (launch.runsAsMain) start.entryRunsAsMain = true;
  if (launch.startMethod) start.startMethod = launch.startMethod;
  if (site.together?.length) start.together = site.together;
  if (launch.supersedes?.length) start.supersedes = launch.supersedes;
  const launchEnv = knownValues(launch.environment ?? site.env, site.copyVariable);
  if (launchEnv) start.launchEnv = launchEnv;
  if (launch.scriptArgs?.length) start.launchArgs = launch.scriptArgs.map((word) => launchValue(word, site.copyVariable));
  // Each copy of a plain program is one process; a server's copies are a master and workers each.
  if (site.instanceVar && launch.single) start.instanceVar = site.instanceVar;
  facts.starts.push(start);
  for (const own of launch.ownLogFiles) {
    const handler: HandlerSite = {
      kind: 'plain-file',
      className: own.className,
      path: own.path,
      span: site.span,
      scope: own.childrenOnly ? childOnlyScope : ownScope,
      origin: 'config',
      note: own.note,
    };
    facts.handlers.push(handler);
  }
  for (const load of launch.configLoads) {
    facts.configLoads.push({ kind: 'gunicorn', span: site.span, scope: site.scope, file: { kind: 'literal', value: load.file } });
  }
}
