/**
 * The language-neutral facts every front-end produces.
 *
 * Front-ends (server/src/python, server/src/configs, later server/src/node) read one file each
 * and emit a `FileFacts`. They never resolve anything across files and never decide whether
 * something is a bug: the process model (model/processModel.ts) links facts across files, and
 * rules (server/src/rules) turn the model into findings.
 *
 * Positions are 0-based line and UTF-16 character, as in LSP; files are absolute paths.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Span {
  file: string;
  start: Position;
  end: Position;
}

/**
 * A unit of code that runs as a whole when something "runs" it: a module's top level, or a
 * function / method body. `module:<dotted>` or `func:<dotted module>:<qualname>`; for non-code
 * files (a gunicorn command line, an ini file) `config:<absolute path>`.
 */
export type ScopeId = string;

export const moduleScope = (moduleName: string): ScopeId => `module:${moduleName}`;
export const functionScope = (moduleName: string, qualname: string): ScopeId =>
  `func:${moduleName}:${qualname}`;
export const configScope = (file: string): ScopeId => `config:${file}`;

/**
 * The code unit standing for all function bodies of a file read by the line scan (lightFacts.ts)
 * instead of the parser. Every function of such a file resolves to it (Program.resolveSymbol):
 * reaching any function reaches what the file's functions call. Not an edge per function: those
 * were half of all calls in a large tree's facts, then most of its scope graph.
 */
export const LINE_SCANNED_BODY = '<functions>';

/** Whether these facts come from the line scan (lightFacts.ts) rather than the parser. */
export const isLineScanned = (facts: Pick<FileFacts, 'functions'>): boolean =>
  facts.functions.some((fn) => fn.qualname === LINE_SCANNED_BODY);

/**
 * A reference to something by name, as written in one module, resolved by the linker:
 * `name` is the dotted expression as written (`worker`, `tasks.run`, `self.run`),
 * `fromModule` the module it was written in.
 */
export interface SymbolRef {
  fromModule: string;
  name: string;
  span: Span;
}

/** What a log file path is, as far as static reading can tell. */
export type LogPath =
  /** A literal or constant-folded path, e.g. `app.log`, `logs/app.log`. Relative as written. */
  | { kind: 'literal'; value: string }
  /**
   * Different in every process: `%(process)d`, Celery `%i`/`%I`, `os.getpid()`, ... `copyIndex`:
   * only through an environment variable numbering the copies of one program (PM2's
   * NODE_APP_INSTANCE), the same in the first copy of two programs.
   */
  | { kind: 'per-process'; text: string; why: string; copyIndex?: string }
  /** An expression we cannot evaluate; `text` is its source. Same expression ⇒ assumed same file. */
  | {
      kind: 'dynamic';
      text: string;
      /**
       * The path is (or is built from) a parameter of the function creating the handler: call
       * sites decide. `index` counts parameters without self/cls.
       */
      param?: { scope: ScopeId; name: string; index: number; exact: boolean };
      /**
       * Built from what each program is started with (`os.environ[...]`, `sys.argv`, argparse's
       * `args.x`): programs started by different launcher lines may get different values.
       */
      fromLaunch?: string;
      /**
       * Environment variables the path reads, directly or through names bound to them: one a
       * launcher numbers its copies with (PM2's `instance_var`) makes it one file per copy.
       */
      environment?: string[];
      /**
       * `fromLaunch` is a variable read with a default in the code (`os.environ.get("LOG", "app.log")`):
       * the default as written when it is a plain string, else `<default>`. A program whose
       * launcher does not set the variable writes the default.
       */
      launchDefault?: string;
    };

export type HandlerKind =
  /** RotatingFileHandler and equivalents: rollover renames under other writers. */
  | 'rotating-size'
  /** TimedRotatingFileHandler and equivalents. */
  | 'rotating-time'
  /** FileHandler, basicConfig(filename=): interleaving and lost tail writes. */
  | 'plain-file'
  /** WatchedFileHandler: reopens after an external rotator; appends still race. */
  | 'watched-file'
  /** Handlers that are safe across processes by design (lock per write, or a funnel). */
  | 'process-safe-file'
  /** QueueHandler: sends to a queue. */
  | 'queue'
  /** SocketHandler / DatagramHandler / SysLogHandler ... : sends to a server. */
  | 'socket'
  /** Anything else (StreamHandler, NullHandler, custom): not a file. */
  | 'other';

export interface HandlerSite {
  kind: HandlerKind;
  /** The class as spelled after resolution, e.g. `logging.handlers.RotatingFileHandler`. */
  className: string;
  /** The path argument; absent for handlers without a file. */
  path?: LogPath;
  /** Where to put the diagnostic: the call, or the `class` line of a config declaration. */
  span: Span;
  /** The code unit whose execution creates the handler. */
  scope: ScopeId;
  origin: 'code' | 'config';
  /** Logger names it is attached to, when known (`''` is the root logger). */
  loggers?: string[];
  /** Extra words for the message, e.g. `declared in logging.ini [handler_file]`. */
  note?: string;
  /**
   * The class depends on something only known at run time, e.g. an import fallback between a
   * process-safe handler and the stdlib one: the finding is information-level and says so.
   */
  dependsOn?: string;
  /**
   * The handler is only handed to a `QueueListener` (never added to a logger): it writes only
   * in the process running the listener, whatever gets inherited.
   */
  listenerOnly?: boolean;
  /**
   * `logger.removeHandler(h)` in the code unit that created it: children forked after that line
   * do not inherit it. (`h.close()` alone is not enough: in append mode it reopens.)
   */
  removed?: Span;
  /**
   * Built under a guard that lets one process of a group through (`if rank == 0:`,
   * `if current_process().name == 'MainProcess':`), or all but one (`if rank != 0:`): see
   * python/processGuards.ts.
   */
  guard?: { kind: ProcessGuardKind; span: Span };
}

/**
 * Which processes of a group pass a guard: the `MainProcess`, rank 0, or every rank but 0
 * (`if rank == 0: return`). See python/processGuards.ts.
 */
export type ProcessGuardKind = 'main-process' | 'rank-zero' | 'not-rank-zero';

export type StartMethod = 'fork' | 'spawn' | 'forkserver';

/** How many processes a start creates. */
export type ProcessCount =
  | { kind: 'known'; n: number; source?: Span }
  /**
   * Depends on something outside the workspace (an environment variable, CPU count...), or on
   * `param`, a parameter of the function making the start, which its callers decide
   * (model/paramCounts.ts).
   */
  | { kind: 'unknown'; dependsOn: string; atLeast?: number; source?: Span; param?: string };

export type StartMechanism =
  | 'multiprocessing.Process'
  | 'multiprocessing.Pool'
  | 'ProcessPoolExecutor'
  | 'os.fork'
  | 'joblib'
  | 'gunicorn'
  | 'uwsgi'
  | 'celery'
  | 'django-runserver'
  | 'supervisord'
  | 'systemd'
  | 'pm2'
  | 'other';

/**
 * A place that starts other processes running some code.
 *
 * `targets` are the functions each child runs (Process target, Pool task function, initializer);
 * `entryModules` the modules each child imports at start (spawn re-import of `__main__`, a
 * gunicorn app module). `continuesInChild` is set for `os.fork()`: the code after the call in
 * the same scope runs in both processes.
 */
export interface ProcessStart {
  mechanism: StartMechanism;
  span: Span;
  /** The code unit that makes the call (or the config file that declares it). */
  scope: ScopeId;
  targets: SymbolRef[];
  /** Functions each child runs once at start (Pool/Executor initializer, post_fork hooks). */
  initializers: SymbolRef[];
  /**
   * Functions the parent runs before it starts the children (gunicorn's on_starting /
   * when_ready / on_reload / pre_fork hooks, an app factory under --preload; Celery's
   * setup_logging receivers, which are also `initializers`): under fork the children inherit
   * the handlers they create.
   */
  parentInitializers?: SymbolRef[];
  /** Module names each child imports when it starts. */
  entryModules: string[];
  /**
   * Other code units each child runs at start, e.g. `configScope(logging.ini)` for
   * `gunicorn --log-config logging.ini` (the workers inherit what the master configured).
   */
  childScopes?: ScopeId[];
  /**
   * Code units only the children run, never the parent, even a parent that runs the app
   * (`parentAlsoRuns`): gunicorn's access log is opened by the master, but only the workers
   * serve requests, so only they write it.
   */
  childOnlyScopes?: ScopeId[];
  count: ProcessCount;
  /** The start method when set at the site (`get_context('spawn')`, `mp_context=`). */
  startMethod?: StartMethod;
  /** The start method is chosen at the site from something only known at run time. */
  startMethodUnknown?: boolean;
  /** Where work is handed to the workers (`pool.map(...)`, `executor.submit(...)`). */
  taskSpans?: Span[];
  /**
   * `Process(args=(...))`: source text of each argument the target receives, the same in every
   * child. `torch.multiprocessing.spawn(f, args=(...))` passes each child its rank first: an
   * empty text stands for that value, different in every child.
   */
  targetArgs?: string[];
  /**
   * `Pool(initializer=f, initargs=(...))`: source text of each argument the initializer gets,
   * the same in every worker (unlike a task's arguments, which come from an iterable).
   */
  initializerArgs?: string[];
  /** Names bound by the loops around the start. */
  loopVars?: string[];
  continuesInChild?: boolean;
  /**
   * Each child runs `entryModules` as `__main__` (`python worker.py`, `python -m worker` under a
   * process manager): their `if __name__ == '__main__':` blocks run too, unlike an app module
   * a server imports.
   */
  entryRunsAsMain?: boolean;
  /**
   * The parent imports `entryModules` itself before it forks the children (gunicorn master with
   * preload, uWSGI without lazy-apps, Celery's prefork main process): the children inherit the
   * imported app, module-level handlers included, instead of importing it again.
   */
  parentAlsoRuns?: boolean;
  /**
   * For a launcher line: keys naming the programs it runs at the same time as others (every
   * process type of a Procfile, the programs of one supervisord file, a shell script's
   * backgrounded commands). Programs that share a key run concurrently, so their writers of
   * one file add up; each key also fixes the working directory relative paths resolve in.
   */
  together?: string[];
  /**
   * Launcher config files (absolute) whose own start this one replaces: `uwsgi --ini uwsgi.ini
   * --processes 8` runs what uwsgi.ini declares with the command line's changes, so the start
   * uwsgi.ini declares by itself is left out of the model.
   */
  supersedes?: string[];
  /**
   * For a launcher line: the environment variables the program starts with, as far as the
   * workspace says (the line's own `VAR=x`, compose `environment:`, `.env` files...).
   * LAUNCH_VALUE_PER_COPY for a value that differs in every copy (`LOG=w$i.log` in a loop).
   */
  launchEnv?: Record<string, string>;
  /**
   * For a launcher line running a Python script or `-m` module: the words after it, its own
   * command line (`--queue high`); LAUNCH_VALUE_PER_COPY for a word that differs in every copy.
   */
  launchArgs?: string[];
  /**
   * The environment variable the launcher numbers this start's processes with (0, 1, ...): PM2's
   * NODE_APP_INSTANCE, or the app's `instance_var`. Only where each process is one copy.
   */
  instanceVar?: string;
  /** Free text for related information, e.g. `gunicorn -w 4 (Procfile:1)`. */
  description: string;
  /** The description says how many copies run (`python w.py × 3 (for …)`): not to be said again. */
  countInDescription?: boolean;
}

/** A `ProcessStart.launchEnv` value built from a loop's variable: each copy has its own. */
export const LAUNCH_VALUE_PER_COPY = '<different in every copy>';

/**
 * Stands in a `ProcessStart.launchEnv` or `launchArgs` value, with the format, for supervisord's
 * `%(process_num)d`: `<copy number %02d>`. It numbers the copies of each program from 0, so the
 * copies of one program get values of their own, but copy k of two programs the same one.
 */
export const LAUNCH_COPY_NUMBER = '<copy number';

/** A call from one code unit into another, for reachability. */
export interface CallEdge {
  from: ScopeId;
  callee: SymbolRef;
  /**
   * The first argument read as a path (for calls that turn out to construct a workspace
   * subclass of a handler class; only the linker can tell).
   */
  pathArg?: LogPath;
  /** Set when the call sits inside a loop or comprehension (a class call there makes many). */
  inLoop?: boolean;
  /** Source text of the positional arguments, to follow a parameter back to its value. */
  args?: string[];
  /** Source text of the keyword arguments. */
  kwargs?: Record<string, string>;
  /** Names bound by the loops around the call (a loop variable differs per iteration). */
  loopVars?: string[];
  /** The call runs in one process of a group only (`if rank == 0: setup_logging()`), or in all but one. */
  guard?: ProcessGuardKind;
  /**
   * Not a call but a decorator of `from` (`@logged`): calling `from` runs what the decorator
   * returns, one of its nested functions.
   */
  decorates?: boolean;
  /**
   * Not a call but a function passed as an argument (`run_parallel(work, initializer=setup)`):
   * the function called (as written, qualified) and the argument's position or keyword. It
   * runs in this process unless that function hands the parameter to a process start.
   */
  passedTo?: { callee: string; arg: number | string };
}

/**
 * A sending handler (`SocketHandler`, `DatagramHandler`, `SysLogHandler`, `HTTPHandler`) attached
 * to a logger, with its destination as values (`logging.handlers.SocketHandler(collector,9020)`).
 */
export interface LoggerSinkFact {
  logger: string;
  address: string;
  span: Span;
  /** The code unit attaching it. */
  scope: ScopeId;
}

/** A call that emits a log record (`logger.info(...)`, `logging.warning(...)`). */
export interface LogCall {
  scope: ScopeId;
  span: Span;
  /** The logger's name when the code says it (`''` is the root logger); absent: any logger. */
  logger?: string;
}

/**
 * `logger.handlers.clear()`, `logger.handlers = []`: the code unit drops every handler of that
 * logger, inherited ones included (a pool initializer that swaps the parent's file handler for
 * a QueueHandler).
 */
export interface HandlerClear {
  scope: ScopeId;
  /** The logger's name (`''` for the root logger). */
  logger: string;
  span: Span;
}

/** `import a.b`, `from . import x`: one imported module per fact, already absolute. */
export interface ImportFact {
  fromModule: string;
  /** Absolute dotted module name, relative imports resolved against the package. */
  module: string;
  /** For `from m import name`: the name and its local alias. */
  name?: string;
  alias: string;
  span: Span;
  /** Inside a function (lazy import) rather than at module level. */
  scope: ScopeId;
}

/** A function or method definition; `run` of a `Process` subclass has `processRunOf`. */
export interface FunctionDef {
  /** Its own code unit; in a line-scanned file, the file's shared one (LINE_SCANNED_BODY). */
  scope: ScopeId;
  module: string;
  qualname: string;
  span: Span;
  /** Parameter names, without a leading self/cls. */
  params?: string[];
  /** Default values of parameters, as source text. */
  defaults?: Record<string, string>;
}

/** A class definition, for workspace subclasses of handlers and Process. */
export interface ClassDef {
  module: string;
  qualname: string;
  bases: SymbolRef[];
  span: Span;
}

/** `multiprocessing.set_start_method('spawn')` and friends, anywhere in the program. */
export interface StartMethodSetting {
  method: StartMethod;
  /** Chosen at run time (`set_start_method(os.environ[...])`): `method` is meaningless. */
  unknown?: boolean;
  span: Span;
  scope: ScopeId;
}

/**
 * Loading a log configuration: `fileConfig('logging.ini')`, `dictConfig(CONFIG)`, Django's
 * `LOGGING`, gunicorn `--log-config`. The handlers it declares are created in `scope`.
 */
export interface ConfigLoad {
  kind: 'fileConfig' | 'dictConfig' | 'django' | 'gunicorn';
  span: Span;
  scope: ScopeId;
  /** The config file, as written (relative to the workspace or to the loading file). */
  file?: LogPath;
}

/**
 * Safety-rule facts: each is self-contained (one place, one problem) and becomes a finding
 * only if the model agrees (e.g. LF104 needs children alive at the exec).
 */
export interface HazardFact {
  rule: 'LF101' | 'LF102' | 'LF103' | 'LF104' | 'LF105' | 'LF106';
  span: Span;
  scope: ScopeId;
  message: string;
  related?: { span: Span; message: string }[];
  /**
   * LF103: the module global the QueueHandler reads its queue from, and the functions of the
   * module that assign it (`global` declared): a child that runs one of them (an initializer
   * taking the queue) had it handed over. `module`: the global belongs to another module, as
   * imported here (`logqueue` for `QueueHandler(logqueue.log_queue)` or for `from logqueue import
   * log_queue`); its setters are then found across the program (`GlobalWrite`), `setBy` is empty.
   */
  queueGlobal?: { name: string; setBy: ScopeId[]; module?: string };
}

/**
 * A code unit assigning a module's global: `logqueue.log_queue = q` (the module imported), or
 * `global log_queue` then `log_queue = q` in a function of that module. For LF103 across modules:
 * a child that runs such a unit was handed the queue it reads from that global.
 */
export interface GlobalWrite {
  /** The global as `<module as imported>.<name>` (the module's own name for a `global`). */
  target: string;
  scope: ScopeId;
}

/** Everything one file contributes. */
export interface FileFacts {
  file: string;
  /** Dotted module name for Python files; undefined for config files. */
  module?: string;
  language: 'python' | 'config' | 'typescript' | 'javascript';
  handlers: HandlerSite[];
  starts: ProcessStart[];
  calls: CallEdge[];
  imports: ImportFact[];
  functions: FunctionDef[];
  classes: ClassDef[];
  startMethods: StartMethodSetting[];
  configLoads: ConfigLoad[];
  hazards: HazardFact[];
  logCalls: LogCall[];
  handlerClears: HandlerClear[];
  /** Sending handlers attached to loggers, with their destinations as values (LF105 across modules). */
  sinks?: LoggerSinkFact[];
  /** Loggers this file sets `propagate = False` on. */
  nonPropagating?: string[];
  /** Module globals its code units assign (LF103 across modules); absent when none. */
  globalWrites?: GlobalWrite[];
  /** Problems reading the file itself (syntax errors, too large, binary); never fatal. */
  problems: { span: Span; message: string }[];
}

export function emptyFacts(file: string, language: FileFacts['language'], module?: string): FileFacts {
  return {
    file,
    module,
    language,
    handlers: [],
    starts: [],
    calls: [],
    imports: [],
    functions: [],
    classes: [],
    startMethods: [],
    configLoads: [],
    hazards: [],
    logCalls: [],
    handlerClears: [],
    problems: [],
  };
}
