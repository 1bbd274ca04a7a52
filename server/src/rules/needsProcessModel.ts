/**
 * Whether any rule could read the process models of a program: building them (the scope graph
 * over every file, then both scenarios) is most of an analysis, and a single run over a tree
 * that creates no log file at all (a library such as Django) needs none of it.
 *
 * The rules read the models only here:
 * - LF001/LF002, through the writer sets: every one is a file handler site (FILE_KINDS) active
 *   in some group. A site is either in a file's facts (code or a log config) or made by the
 *   scope graph from a call of a workspace subclass of a file handler class.
 * - LF103/LF104, for each of their hazard facts.
 * - LF105 across modules (crossModulePropagation.ts), through `runnerOf`, only for two sinks with
 *   one destination on related loggers: it then asks for the models, which are built on demand
 *   (analysisContextWithoutModels). Sinks come from parsed files (their SocketHandler or
 *   QueueHandler is a prefilter word), which are never put off.
 * The other rules read hazard facts only.
 *
 * `isDeferred` tells a module whose line scan was put off (its facts are empty for now): a
 * config naming a class in such a module is taken to need the models, as its bases are unknown.
 */
import type { Program } from '../model/program';
import { FILE_KINDS } from '../model/writers';
import { handlerClass } from '../python/knownApis';
import type { FileFacts } from '../model/facts';

export function needsProcessModel(program: Program, isDeferred: (file: string) => boolean = () => false): boolean {
  const isFileHandlerClass = (qualified: string) => FILE_KINDS.has(handlerClass(qualified)?.kind ?? 'other');
  const facts: FileFacts[] = [...program.modules.map((m) => m.facts), ...program.configFiles.values()];
  for (const f of facts) {
    if (f.hazards.some((h) => h.rule === 'LF103' || h.rule === 'LF104')) return true;
    for (const h of f.handlers) {
      if (FILE_KINDS.has(h.kind)) return true;
      // A log config naming a workspace class (`class = myapp.log.SafeHandler`).
      if (h.origin === 'config' && h.kind === 'other' && h.className.includes('.')) {
        const resolved = program.resolveSymbol(h.className, h.span.file);
        if (resolved.kind === 'class' && program.classAncestors(resolved).some(isFileHandlerClass)) return true;
        if (resolved.kind !== 'class' && inDeferredModule(program, h.className, h.span.file, isDeferred)) return true;
      }
    }
  }
  // A workspace subclass of a file handler: every call of it is a site (the scope graph's).
  // A chain of subclasses starts at a class whose base names the handler class, through its
  // own name or an alias; a file with the name is never deferred (fileReader's
  // mayNameFileHandler), and an alias another file subclasses is one of these imports.
  for (const module of program.modules) {
    for (const target of module.aliases.values()) if (isFileHandlerClass(target)) return true;
    for (const [qualname, def] of module.classes) {
      if (def.bases.length > 0 && program.classAncestors({ kind: 'class', module, qualname, def }).some(isFileHandlerClass)) return true;
    }
  }
  return false;
}

function inDeferredModule(program: Program, dotted: string, fromFile: string, isDeferred: (file: string) => boolean): boolean {
  for (let end = dotted.lastIndexOf('.'); end > 0; end = dotted.lastIndexOf('.', end - 1)) {
    const module = program.resolveModule(dotted.slice(0, end), fromFile);
    if (module && isDeferred(module.file)) return true;
  }
  return false;
}
