/**
 * Funnel strategy for handlers created in Python code: switch the class to the runtime's
 * drop-in with the same signature, so every argument, formatter, level and comment stays.
 *
 *   logging.handlers.RotatingFileHandler(...)   → logfunnel.RotatingFileHandler(...)
 *   from logging.handlers import X [as Y]       → from logfunnel import X [as Y]   (when every use is a call)
 *   logging.basicConfig(filename=f, filemode=m) → logging.basicConfig(handlers=[logfunnel.FileHandler(f, mode=m)])
 *   class Mine(RotatingFileHandler)             → class Mine(logfunnel.RotatingFileHandler)
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { HandlerSite } from '../model/facts';
import { DROP_IN, LOCKING, stdlibClassName } from './dropIns';
import { addImportEdit, nodeStartingAt, replaceNode, replaceOffsets } from './pythonText';
import { LineIndex } from '../model/lineIndex';
import type { FixContext, TextFileEdit } from './types';

export interface ClassRewrite {
  edits: TextFileEdit[];
  /** Why the rewrite may change behaviour (a subclass overriding the writing methods). */
  caveat?: string;
}

interface ParsedFile {
  file: string;
  text: string;
  tree: Tree;
  index: LineIndex;
}

function parse(ctx: FixContext, file: string): ParsedFile | undefined {
  const text = ctx.readText(file);
  if (text === undefined) return undefined;
  const tree = ctx.parser.parse(text);
  if (!tree) return undefined;
  return { file, text, tree, index: new LineIndex(file, text) };
}

/** The call creating the handler, found from the finding's span. */
function creatingCall(p: ParsedFile, handler: HandlerSite): Node | undefined {
  return nodeStartingAt(p.tree, p.index.offsetAt(handler.span.start), 'call');
}

/**
 * Rewrites the creation of `handler` to the logfunnel class `table[stdlib name]`.
 * `table` is DROP_IN for the funnel, LOCKING for the locking strategy.
 */
export function rewriteCodeHandler(handler: HandlerSite, ctx: FixContext, table: Record<string, string>): ClassRewrite | undefined {
  const p = parse(ctx, handler.span.file);
  if (!p) return undefined;
  try {
    const call = creatingCall(p, handler);
    if (!call) return undefined;
    if (handler.className === 'logging.basicConfig') return table === DROP_IN ? rewriteBasicConfig(p, call) : undefined;
    const stdlib = stdlibClassName(handler.className);
    if (stdlib) {
      const target = table[stdlib];
      return target ? rewriteClassExpression(p, call, target) : undefined;
    }
    return rebaseSubclass(handler, ctx, table);
  } finally {
    p.tree.delete();
  }
}

function rewriteClassExpression(p: ParsedFile, call: Node, target: string): ClassRewrite | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'identifier') {
    const viaImport = rewriteFromImport(p, fn.text, target);
    if (viaImport) return { edits: [viaImport] };
  }
  const edits = [replaceNode(p.file, p.index, fn, `logfunnel.${target}`)];
  const imp = addImportEdit(p.file, p.tree, p.index, 'logfunnel');
  if (imp) edits.push(imp);
  return { edits };
}

/**
 * `from logging.handlers import RotatingFileHandler as RFH` imports exactly the one name and
 * every use of `RFH` in the file is a call: changing the module keeps every line that uses it.
 */
function rewriteFromImport(p: ParsedFile, localName: string, target: string): TextFileEdit | undefined {
  const statement = p.tree.rootNode.namedChildren.find((s) => {
    if (!s || s.type !== 'import_from_statement') return false;
    return s.childrenForFieldName('name').some((n) => n && boundName(n) === localName);
  });
  if (!statement) return undefined;
  const names = statement.childrenForFieldName('name').filter((n): n is Node => !!n);
  const moduleNode = statement.childForFieldName('module_name');
  if (names.length !== 1 || !moduleNode || !/^(logging|logging\.handlers|picologging|picologging\.handlers)$/.test(moduleNode.text)) return undefined;
  const importedName = names[0].type === 'aliased_import' ? names[0].childForFieldName('name')?.text : names[0].text;
  if (importedName !== target) return undefined; // the locking class has another name
  for (const use of identifiers(p.tree.rootNode, localName)) {
    if (use.startIndex >= statement.startIndex && use.endIndex <= statement.endIndex) continue;
    const parent = use.parent;
    if (!parent || parent.type !== 'call' || parent.childForFieldName('function')?.id !== use.id) return undefined;
  }
  return replaceNode(p.file, p.index, moduleNode, 'logfunnel');
}

function boundName(n: Node): string {
  if (n.type === 'aliased_import') return n.childForFieldName('alias')?.text ?? '';
  return n.text;
}

function identifiers(root: Node, name: string): Node[] {
  return root.descendantsOfType('identifier').filter((n): n is Node => !!n && n.text === name);
}

/**
 * basicConfig(filename=..., filemode=..., encoding=..., errors=...) becomes
 * basicConfig(handlers=[logfunnel.FileHandler(filename, mode=..., ...)], <the rest as written>).
 */
function rewriteBasicConfig(p: ParsedFile, call: Node): ClassRewrite | undefined {
  const args = call.childForFieldName('arguments');
  if (!args) return undefined;
  const keywords = new Map<string, Node>();
  for (const a of args.namedChildren) {
    if (a?.type === 'keyword_argument') keywords.set(a.childForFieldName('name')?.text ?? '', a);
  }
  const filename = keywords.get('filename');
  if (!filename || keywords.has('handlers') || keywords.has('stream')) return undefined;
  const value = (k: string) => keywords.get(k)?.childForFieldName('value')?.text;
  const parts = [value('filename')!];
  if (keywords.has('filemode')) parts.push(`mode=${value('filemode')}`);
  if (keywords.has('encoding')) parts.push(`encoding=${value('encoding')}`);
  if (keywords.has('errors')) parts.push(`errors=${value('errors')}`);
  const edits: TextFileEdit[] = [replaceNode(p.file, p.index, filename, `handlers=[logfunnel.FileHandler(${parts.join(', ')})]`)];
  for (const k of ['filemode', 'encoding', 'errors']) {
    const node = keywords.get(k);
    if (!node) continue;
    // Remove the argument with the comma before it (filename= always precedes or is kept).
    const prev = node.previousNamedSibling;
    const start = prev ? prev.endIndex : node.startIndex;
    const end = prev ? node.endIndex : (node.nextNamedSibling?.startIndex ?? node.endIndex);
    edits.push(replaceOffsets(p.file, p.index, start, end, ''));
  }
  const imp = addImportEdit(p.file, p.tree, p.index, 'logfunnel');
  if (imp) edits.push(imp);
  return { edits };
}

/** Methods whose override means the subclass writes or rotates by itself. */
const WRITING_METHODS = /^\s*def\s+(emit|doRollover|shouldRollover|_open|rotate|computeRollover)\s*\(/m;

/** A workspace subclass of a stdlib file handler: rebase it on the drop-in. */
function rebaseSubclass(handler: HandlerSite, ctx: FixContext, table: Record<string, string>): ClassRewrite | undefined {
  const program = ctx.program;
  if (!program) return undefined;
  for (const module of program.modules) {
    for (const [qualname, def] of module.classes) {
      if (`${module.name}.${qualname}` !== handler.className) continue;
      for (const base of def.bases) {
        const resolved = program.resolveSymbol(base.name, module.file);
        const stdlib = resolved.kind === 'external' ? stdlibClassName(resolved.name) : undefined;
        const target = stdlib && table[stdlib];
        if (!target) continue;
        const p = parse(ctx, module.file);
        if (!p) return undefined;
        try {
          const classText = p.text.slice(p.index.offsetAt(def.span.start), p.index.offsetAt(def.span.end));
          const baseNode = nodeAt(p, base.span.start, base.span.end);
          if (!baseNode) return undefined;
          const edits = [replaceNode(p.file, p.index, baseNode, `logfunnel.${target}`)];
          const imp = addImportEdit(p.file, p.tree, p.index, 'logfunnel');
          if (imp) edits.push(imp);
          // A subclass that writes or rotates by itself (seed 002's locked doRollover) would keep
          // doing so in every process on top of the funnel: no drop-in fix for it.
          if (WRITING_METHODS.test(classText)) return undefined;
          return { edits };
        } finally {
          p.tree.delete();
        }
      }
    }
  }
  return undefined;
}

function nodeAt(p: ParsedFile, start: { line: number; character: number }, end: { line: number; character: number }): Node | undefined {
  const s = p.index.offsetAt(start);
  const e = p.index.offsetAt(end);
  let node: Node | null = p.tree.rootNode.descendantForIndex(s, e);
  while (node && node.parent && node.parent.startIndex === s && node.parent.endIndex === e) node = node.parent;
  return node && node.startIndex === s && node.endIndex === e ? node : undefined;
}

export { DROP_IN, LOCKING };
