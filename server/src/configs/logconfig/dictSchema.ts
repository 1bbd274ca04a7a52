/**
 * The dictConfig schema (logging.config.dictConfig, Django LOGGING, gunicorn logconfig_dict),
 * read from a positioned value tree whatever syntax it came from.
 */
import { PValue, entryOf, valueOf, stringOf, stringListOf, isTruthy, scalarText } from '../pvalue';
import { LogConfigDeclarations, HandlerDeclaration, emptyDeclarations } from './declarations';
import { resolveHandlerClassName } from '../handlerClasses';
import { expressionPath, literalPath } from '../logPath';

/** Whether a value looks like a dictConfig dict: a `handlers` map whose entries name classes. */
export function looksLikeDictConfig(root: PValue | undefined): boolean {
  const handlers = valueOf(root, 'handlers');
  if (!handlers || handlers.kind !== 'map') return false;
  return handlers.entries.some((e) => entryOf(e.value, 'class') !== undefined || entryOf(e.value, '()') !== undefined);
}

export function readDictConfig(root: PValue): LogConfigDeclarations {
  const decls: LogConfigDeclarations = emptyDeclarations();
  // `incremental: true` only changes levels of existing handlers: nothing is opened.
  if (isTruthy(valueOf(root, 'incremental'))) return decls;
  const handlers = valueOf(root, 'handlers');
  if (handlers?.kind === 'map') {
    for (const entry of handlers.entries) {
      const decl = handlerDeclaration(entry.key, entry.value);
      if (decl) decls.handlers.push(decl);
    }
  }
  const loggers = valueOf(root, 'loggers');
  if (loggers?.kind === 'map') {
    for (const entry of loggers.entries) readLogger(decls, entry.key, entry.value);
  }
  const rootLogger = valueOf(root, 'root');
  if (rootLogger?.kind === 'map') readLogger(decls, '', rootLogger);
  return decls;
}

function readLogger(decls: LogConfigDeclarations, name: string, body: PValue): void {
  const handlers = entryOf(body, 'handlers');
  decls.loggers.set(name, stringListOf(handlers?.value));
  if (handlers) decls.loggerSpans.set(name, handlers.pairSpan);
  const propagate = scalarText(valueOf(body, 'propagate'))?.trim().toLowerCase();
  if (propagate === 'false' || propagate === '0' || propagate === 'no' || propagate === 'off') decls.nonPropagating.add(name);
}

/** The settings that say where a socket or queue handler sends (`()` factories take the same names). */
const SINK_SETTINGS = ['host', 'port', 'address', 'url', 'queue', 'mailhost'];

function sinkKeyOf(className: string, body: PValue): string | undefined {
  const parts = SINK_SETTINGS.map((k) => scalarText(valueOf(body, k)));
  return parts.some((p) => p !== undefined) ? `${className}(${parts.map((p) => p ?? '').join(',')})` : undefined;
}

function handlerDeclaration(name: string, body: PValue): HandlerDeclaration | undefined {
  const classEntry = entryOf(body, 'class') ?? entryOf(body, '()');
  if (!classEntry) return undefined;
  const written = classEntry.value.kind === 'string' ? classEntry.value.value : classEntry.value.kind === 'expr' ? classEntry.value.text : undefined;
  if (written === undefined) return undefined;
  const decl: HandlerDeclaration = {
    name,
    className: resolveHandlerClassName(written, 'dictConfig'),
    classSpan: classEntry.pairSpan,
  };
  decl.sinkKey = sinkKeyOf(decl.className, body);
  const filename = valueOf(body, 'filename');
  const literal = stringOf(filename);
  if (literal !== undefined) decl.path = literalPath(literal, 'config-literal');
  else if (filename?.kind === 'expr') decl.path = expressionPath(filename.text, 'code');
  return decl;
}
