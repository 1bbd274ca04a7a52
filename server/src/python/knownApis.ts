/**
 * The one place that knows Python's logging and process APIs by their qualified names.
 * Everything else asks here, so a new spelling (a fork of multiprocessing, another handler
 * package) is one line.
 */
import type { HandlerKind } from '../model/facts';

export interface HandlerClassInfo {
  kind: HandlerKind;
  /** Where the file path is: positional index and keyword name. */
  pathArg?: { index: number; keyword: string };
}

const FILE_ARG = { index: 0, keyword: 'filename' };

const HANDLER_CLASSES: Record<string, HandlerClassInfo> = {
  'logging.FileHandler': { kind: 'plain-file', pathArg: FILE_ARG },
  'logging.handlers.WatchedFileHandler': { kind: 'watched-file', pathArg: FILE_ARG },
  'logging.handlers.RotatingFileHandler': { kind: 'rotating-size', pathArg: FILE_ARG },
  'logging.handlers.TimedRotatingFileHandler': { kind: 'rotating-time', pathArg: FILE_ARG },
  'logging.handlers.QueueHandler': { kind: 'queue' },
  'logging.handlers.SocketHandler': { kind: 'socket' },
  'logging.handlers.DatagramHandler': { kind: 'socket' },
  'logging.handlers.SysLogHandler': { kind: 'socket' },
  'logging.handlers.HTTPHandler': { kind: 'socket' },
  'logging.StreamHandler': { kind: 'other' },
  'logging.NullHandler': { kind: 'other' },
  'picologging.FileHandler': { kind: 'plain-file', pathArg: FILE_ARG },
  'picologging.handlers.WatchedFileHandler': { kind: 'watched-file', pathArg: FILE_ARG },
  'picologging.handlers.RotatingFileHandler': { kind: 'rotating-size', pathArg: FILE_ARG },
  'picologging.handlers.TimedRotatingFileHandler': { kind: 'rotating-time', pathArg: FILE_ARG },
  'picologging.handlers.QueueHandler': { kind: 'queue' },
  'picologging.handlers.SocketHandler': { kind: 'socket' },
  // Process-safe by design: a lock per write, or a single writer behind a funnel.
  'concurrent_log_handler.ConcurrentRotatingFileHandler': { kind: 'process-safe-file', pathArg: FILE_ARG },
  'concurrent_log_handler.ConcurrentTimedRotatingFileHandler': { kind: 'process-safe-file', pathArg: FILE_ARG },
  'logfunnel.FileHandler': { kind: 'process-safe-file', pathArg: FILE_ARG },
  'logfunnel.RotatingFileHandler': { kind: 'process-safe-file', pathArg: FILE_ARG },
  'logfunnel.TimedRotatingFileHandler': { kind: 'process-safe-file', pathArg: FILE_ARG },
  'logfunnel.WatchedFileHandler': { kind: 'process-safe-file', pathArg: FILE_ARG },
  'logfunnel.LockingRotatingFileHandler': { kind: 'process-safe-file', pathArg: FILE_ARG },
  'logfunnel.LockingTimedRotatingFileHandler': { kind: 'process-safe-file', pathArg: FILE_ARG },
};

/** Modules that re-export multiprocessing's API under another name. */
const MULTIPROCESSING_ALIASES = ['multiprocessing', 'billiard', 'torch.multiprocessing', 'multiprocess'];

export function handlerClass(qualified: string): HandlerClassInfo | undefined {
  return HANDLER_CLASSES[qualified];
}

/** `multiprocessing.pool.Pool` → `pool`-ish suffix after a multiprocessing-like package. */
function multiprocessingMember(qualified: string): string | undefined {
  for (const base of MULTIPROCESSING_ALIASES) {
    if (qualified.startsWith(base + '.')) {
      const member = qualified.slice(base.length + 1);
      // Members of the context module / pool module are the same API.
      return member.replace(/^(context|pool|process|get_context\(\))\./, '');
    }
  }
  return undefined;
}

export type StartApi =
  | { api: 'Process' }
  | { api: 'Pool' }
  | { api: 'ProcessPoolExecutor' }
  | { api: 'fork' }
  | { api: 'joblib.Parallel' }
  | { api: 'torch.spawn' };

export function startApi(qualified: string): StartApi | undefined {
  const member = multiprocessingMember(qualified);
  if (member === 'Process') return { api: 'Process' };
  if (member === 'Pool') return { api: 'Pool' };
  if (qualified === 'torch.multiprocessing.spawn' || qualified === 'torch.multiprocessing.start_processes')
    return { api: 'torch.spawn' };
  if (qualified === 'concurrent.futures.ProcessPoolExecutor' || qualified === 'concurrent.futures.process.ProcessPoolExecutor')
    return { api: 'ProcessPoolExecutor' };
  if (qualified === 'os.fork' || qualified === 'os.forkpty' || qualified === 'pty.fork') return { api: 'fork' };
  if (qualified === 'joblib.Parallel') return { api: 'joblib.Parallel' };
  return undefined;
}

export function isProcessClass(qualified: string): boolean {
  return multiprocessingMember(qualified) === 'Process';
}

export function isGetContext(qualified: string): boolean {
  return multiprocessingMember(qualified) === 'get_context';
}

export function isSetStartMethod(qualified: string): boolean {
  return multiprocessingMember(qualified) === 'set_start_method';
}

/** A queue object that cannot be pickled into Pool tasks (unlike a Manager proxy). */
export function isPlainMpQueue(qualified: string): boolean {
  const member = multiprocessingMember(qualified);
  return member === 'Queue' || member === 'JoinableQueue' || member === 'SimpleQueue';
}

export function isManager(qualified: string): boolean {
  return multiprocessingMember(qualified) === 'Manager';
}

export const POOL_TASK_METHODS = new Set([
  'map', 'imap', 'imap_unordered', 'starmap', 'apply', 'apply_async', 'map_async', 'starmap_async', 'submit',
]);

export const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal', 'log']);

export const EXEC_FUNCTIONS = new Set([
  'os.execv', 'os.execve', 'os.execl', 'os.execle', 'os.execlp', 'os.execlpe', 'os.execvp', 'os.execvpe',
]);

