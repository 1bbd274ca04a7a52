/**
 * The dictConfig schema (logging.config.dictConfig, Django LOGGING, gunicorn logconfig_dict),
 * read from a positioned value tree whatever syntax it came from.
 */
import { PValue, entryOf, valueOf, stringOf, stringListOf, isTruthy } from '../pvalue';
import { LogConfigDeclarations, HandlerDeclaration } from './declarations';
import { resolveHandlerClassName } from '../handlerClasses';
import { expressionPath, literalPath } from '../logPath';

/** Whether a value looks like a dictConfig dict: a `handlers` map whose entries name classes. */
export function looksLikeDictConfig(root: PValue | undefined): boolean {
  const handlers = valueOf(root, 'handlers');
  if (!handlers || handlers.kind !== 'map') return false;
  return handlers.entries.some((e) => entryOf(e.value, 'class') !== undefined || entryOf(e.value, '()') !== undefined);
}

export function readDictConfig(root: PValue): LogConfigDeclarations {
  const decls: LogConfigDeclarations = { handlers: [], loggers: new Map() };
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
    for (const entry of loggers.entries) decls.loggers.set(entry.key, stringListOf(valueOf(entry.value, 'handlers')));
  }
  const rootLogger = valueOf(root, 'root');
  if (rootLogger?.kind === 'map') decls.loggers.set('', stringListOf(valueOf(rootLogger, 'handlers')));
  return decls;
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
  const filename = valueOf(body, 'filename');
  const literal = stringOf(filename);
  if (literal !== undefined) decl.path = literalPath(literal, 'config-literal');
  else if (filename?.kind === 'expr') decl.path = expressionPath(filename.text, 'code');
  return decl;
}
