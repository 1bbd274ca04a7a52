/**
 * The one place that knows the handler classes a config can name and what kind each is.
 * Code handlers are classified by the Python front-end; config declarations come here.
 */
import type { HandlerKind } from '../model/facts';

/** Handler classes of the standard library, by simple name (also picologging's). */
const STDLIB_KINDS: Record<string, HandlerKind> = {
  RotatingFileHandler: 'rotating-size',
  TimedRotatingFileHandler: 'rotating-time',
  FileHandler: 'plain-file',
  WatchedFileHandler: 'watched-file',
  QueueHandler: 'queue',
  SocketHandler: 'socket',
  DatagramHandler: 'socket',
  SysLogHandler: 'socket',
  HTTPHandler: 'socket',
  SMTPHandler: 'socket',
  NTEventLogHandler: 'other',
  StreamHandler: 'other',
  NullHandler: 'other',
  MemoryHandler: 'other',
  BufferingHandler: 'other',
};

/** Packages whose file handlers lock or funnel every write: safe across processes. */
const PROCESS_SAFE_MODULES = /^(concurrent_log_handler|cloghandler|logfunnel|multiprocessing_logging|mplog)(\.|$)/;

/**
 * The full dotted name a config means. fileConfig evaluates `class` in the `logging` namespace
 * (so `handlers.RotatingFileHandler` and bare `FileHandler` work); dictConfig resolves dotted
 * names by import, with an optional `ext://` prefix.
 */
export function resolveHandlerClassName(written: string, style: 'fileConfig' | 'dictConfig'): string {
  let name = written.trim().replace(/^ext:\/\//, '');
  if (style === 'fileConfig') {
    if (name.startsWith('handlers.')) name = `logging.${name}`;
    else if (!name.includes('.') && name in STDLIB_KINDS) name = `logging.${name}`;
  }
  return name;
}

export function handlerKindOf(className: string): HandlerKind {
  const simple = className.slice(className.lastIndexOf('.') + 1);
  const module = className.includes('.') ? className.slice(0, className.lastIndexOf('.')) : '';
  if (PROCESS_SAFE_MODULES.test(module) || /^Concurrent(Timed)?RotatingFileHandler$/.test(simple)) {
    return 'process-safe-file';
  }
  const isStdlibModule = module === '' || /^(logging|logging\.handlers|picologging|picologging\.handlers)$/.test(module);
  if (!isStdlibModule) return 'other';
  return STDLIB_KINDS[simple] ?? 'other';
}

/** Whether the handler writes a file whose name is its first argument / `filename`. */
export function takesFilename(kind: HandlerKind): boolean {
  return kind === 'rotating-size' || kind === 'rotating-time' || kind === 'plain-file' || kind === 'watched-file' || kind === 'process-safe-file';
}
