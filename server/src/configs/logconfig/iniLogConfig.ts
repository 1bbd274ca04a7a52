/**
 * logging.config.fileConfig files: `[handlers] keys=`, `[handler_x] class= args= kwargs=`,
 * `[loggers] keys=`, `[logger_x] handlers= qualname=`.
 */
import type { LogPath } from '../../model/facts';
import { IniDocument, IniSection, entryNamed, sectionNamed } from '../ini';
import { LineIndex } from '../spans';
import { LogConfigDeclarations, HandlerDeclaration, emptyDeclarations } from './declarations';
import { resolveHandlerClassName } from '../handlerClasses';
import { dictLiteralEntries, pythonStringLiteral, sequenceElements } from '../pyLiteral';
import { expressionPath, literalPath } from '../logPath';

export function isFileConfigIni(doc: IniDocument): boolean {
  return doc.sections.some((s) => s.name === 'handlers' || s.name.startsWith('handler_')) && doc.sections.some((s) => s.name === 'loggers' || s.name.startsWith('logger_'));
}

export function readFileConfigIni(doc: IniDocument, lines: LineIndex): LogConfigDeclarations {
  const decls: LogConfigDeclarations = emptyDeclarations();
  const defaults = sectionNamed(doc, 'DEFAULT');
  for (const name of keysOf(sectionNamed(doc, 'handlers'))) {
    const section = sectionNamed(doc, `handler_${name}`);
    const classEntry = entryNamed(section, 'class');
    if (!section || !classEntry) continue;
    const decl: HandlerDeclaration = {
      name,
      className: resolveHandlerClassName(classEntry.value, 'fileConfig'),
      classSpan: lines.lineSpan(classEntry.line),
    };
    const path = filenameOf(section, defaults);
    if (path) decl.path = path;
    // SocketHandler's `args=('localhost', 9020)`: the address as written.
    const args = entryNamed(section, 'args')?.value;
    if (args !== undefined) decl.sinkKey = `${decl.className}(${args.replace(/\s+/g, '')})`;
    decls.handlers.push(decl);
  }
  for (const name of keysOf(sectionNamed(doc, 'loggers'))) {
    const section = sectionNamed(doc, `logger_${name}`);
    if (!section) continue;
    const logger = name === 'root' ? '' : entryNamed(section, 'qualname')?.value ?? name;
    const handlers = entryNamed(section, 'handlers');
    decls.loggers.set(logger, keysOfValue(handlers?.value ?? ''));
    if (handlers) decls.loggerSpans.set(logger, lines.lineSpan(handlers.line));
    // fileConfig reads `propagate` as an int, 1 by default.
    if (entryNamed(section, 'propagate')?.value.trim() === '0') decls.nonPropagating.add(logger);
  }
  return decls;
}

function keysOf(section: IniSection | undefined): string[] {
  return keysOfValue(entryNamed(section, 'keys')?.value ?? '');
}

function keysOfValue(value: string): string[] {
  return value.split(',').map((k) => k.trim()).filter(Boolean);
}

/** The first positional argument of `args`, or `filename` in `kwargs`. */
function filenameOf(section: IniSection, defaults: IniSection | undefined): LogPath | undefined {
  const args = entryNamed(section, 'args')?.value;
  const kwargs = entryNamed(section, 'kwargs')?.value;
  const written = (args !== undefined ? sequenceElements(args)[0] : undefined) ?? (kwargs !== undefined ? dictLiteralEntries(kwargs).get('filename') : undefined);
  if (written === undefined) return undefined;
  const { text, leftover } = interpolate(written, section, defaults);
  const literal = pythonStringLiteral(text);
  if (literal === undefined) return expressionPath(text, 'ini-args');
  if (leftover.length > 0) {
    // `%(pid)s` left for fileConfig(defaults=...) to fill at the load site: per process when
    // it names the pid, unknown otherwise.
    return leftover.some((n) => /^(pid|process|process_id)$/i.test(n))
      ? { kind: 'per-process', text: literal, why: `interpolates %(${leftover[0]})s, given by fileConfig(defaults=...) at the load site` }
      : { kind: 'dynamic', text: literal };
  }
  return literalPath(literal, 'config-literal');
}

/** configparser's BasicInterpolation from the same section and [DEFAULT]; unknown names stay. */
function interpolate(value: string, section: IniSection, defaults: IniSection | undefined): { text: string; leftover: string[] } {
  let out = value;
  const leftover: string[] = [];
  for (let round = 0; round < 5; round++) {
    let changed = false;
    out = out.replace(/(%%)|%\((\w+)\)s/g, (all, escaped: string | undefined, name: string | undefined) => {
      if (escaped || !name) return all;
      const found = entryNamed(section, name.toLowerCase())?.value ?? entryNamed(defaults, name.toLowerCase())?.value;
      if (found === undefined) {
        if (!leftover.includes(name)) leftover.push(name);
        return all;
      }
      changed = true;
      return found;
    });
    if (!changed) break;
  }
  // `%%` is configparser's escaped percent: a literal `%` in the file name, expanded by nobody.
  return { text: out.replace(/%%/g, '%'), leftover };
}
