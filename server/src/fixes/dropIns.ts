/** The one place that knows which runtime class replaces which stdlib file handler. */

/** stdlib (and picologging) class name → the logfunnel drop-in with the same signature. */
export const DROP_IN: Record<string, string> = {
  FileHandler: 'FileHandler',
  RotatingFileHandler: 'RotatingFileHandler',
  TimedRotatingFileHandler: 'TimedRotatingFileHandler',
  WatchedFileHandler: 'WatchedFileHandler',
};

/** Lock-per-write classes, for files on a shared network filesystem. */
export const LOCKING: Record<string, string> = {
  RotatingFileHandler: 'LockingRotatingFileHandler',
  TimedRotatingFileHandler: 'LockingTimedRotatingFileHandler',
};

const FILE_HANDLER_MODULES = /^(logging|logging\.handlers|picologging|picologging\.handlers)\.(\w+)$/;

/** `logging.handlers.RotatingFileHandler` → `RotatingFileHandler` when it has a drop-in. */
export function stdlibClassName(qualified: string): string | undefined {
  const m = FILE_HANDLER_MODULES.exec(qualified);
  return m && DROP_IN[m[2]] ? m[2] : undefined;
}

/** How a log path is shown in a title: `app.log`. */
export function shortPathLabel(path: { kind: string; value?: string; text?: string } | undefined): string {
  if (!path) return 'the log file';
  const raw = path.kind === 'literal' ? path.value! : path.text!;
  const base = raw.split(/[\\/]/).pop() ?? raw;
  return base.length > 40 ? 'the log file' : base;
}
