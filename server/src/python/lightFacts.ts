/**
 * The prefilter: most files of a large tree never touch logging handlers, processes, log
 * configs or pickle. Those are not parsed; a line scan takes what the process model needs from
 * them to carry reachability through: imports, the functions they define, and the names they
 * call from other modules. The whole file acts as one unit: reaching any of its functions
 * reaches everything it imports or calls.
 */
import { FileFacts, emptyFacts, functionScope, LINE_SCANNED_BODY as BODY, moduleScope, Span } from '../model/facts';

/**
 * `.info(` and friends, preceded by something named like a logger: a `(` whose word before it
 * (spaces allowed around) is one of these and follows a `.`.
 */
const LOG_METHODS = ['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal', 'log'];
/** LOG_METHODS by length, so that a word is compared with one or two of them, uncut. */
const LOG_METHODS_BY_LENGTH: string[][] = [];
for (const method of LOG_METHODS) (LOG_METHODS_BY_LENGTH[method.length] ??= []).push(method);

function isLogMethod(text: string, start: number, end: number): boolean {
  const candidates = LOG_METHODS_BY_LENGTH[end - start];
  if (candidates === undefined) return false;
  for (const method of candidates) if (text.startsWith(method, start)) return true;
  return false;
}
const LOGGER_BEFORE = /(?:log\w*|get_?[Ll]ogger\([^)]*\))\s*$/i;
/** What comes before `getLogger(` on a line that names a logger: `    audit = logging.`. */
const LOGGER_ASSIGNED = /^[ \t]*(\w+)[ \t]*=[ \t]*[\w.]*$/;

const DOT = 46;

/** `\w` of a (non-Unicode) regular expression, for the ASCII range. */
const WORD_CHARS = new Uint8Array(128);
for (let c = 0; c < 128; c++) WORD_CHARS[c] = /\w/.test(String.fromCharCode(c)) ? 1 : 0;

function isWordChar(c: number): boolean {
  return c < 128 && WORD_CHARS[c] === 1;
}

/** `\s` of a regular expression: ECMAScript white space and line terminators. */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** `if __name__ == '__main__':` at the left margin (either order of the comparison). */
const MAIN_GUARD = /^if\s*\(?\s*(?:__name__\s*==\s*(['"])__main__\1|(['"])__main__\2\s*==\s*__name__)\s*\)?\s*(?::|and\b)/;
const COMPREHENSION = /\bfor\b.*\bin\b/;

/** Kinds of top-level statements: what runs the calls inside them. */
const OTHER = 0;
const DEF = 1;
const GUARD = 2;

/**
 * Where the kind of the top-level statement changes, as offset/kind pairs in one flat array
 * (a file has few changes and many top-level lines), and the line of the first main guard.
 */
interface TopLevel {
  changes: number[];
  firstGuardLine: number;
}

/** The main guard's code unit, as the parser names it (extract.ts mainGuardScope). */
const MAIN_QUALNAME = '<main>';

/** Line starts are where `^` matches in a multiline regular expression: after any of these. */
const ANY_LINE_BREAK = /[\n\r\u2028\u2029]/g;

/** Offsets of the '\n's of the text being read (reused: most files need no new array). */
let newlineScratch: Int32Array = new Int32Array(1 << 14);

/**
 * The text's UTF-16 units in a typed array, for the character-by-character parts of the scan:
 * reading an element is several times cheaper than `charCodeAt`. One unit past the end is 0
 * (neither space, word character nor '.'), so loops that run to the end stop there.
 */
const MAX_KEPT_UNITS = 4 * 1024 * 1024;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
let unitScratch = new Uint16Array(1 << 16);

function utf16Units(text: string): Uint16Array {
  const n = text.length;
  let units = unitScratch;
  if (n + 1 > units.length) {
    units = new Uint16Array(n + 1 + (n >> 1));
    if (units.length <= MAX_KEPT_UNITS) unitScratch = units;
  }
  const copied = LITTLE_ENDIAN && Buffer.from(units.buffer, units.byteOffset, units.byteLength).write(text, 0, 2 * n, 'utf16le') === 2 * n;
  if (!copied) for (let i = 0; i < n; i++) units[i] = text.charCodeAt(i);
  units[n] = 0;
  return units;
}

/**
 * `scopeModule`: the module as its scope ids name it. The engine passes the keyed name
 * (`moduleKey`), so that the facts need no `keyScopes` pass (which rewrote every call's scope:
 * a tenth of the line scan's time).
 */
export function extractLightFacts(text: string, file: string, moduleName: string, isPackageInit: boolean, scopeModule = moduleName): FileFacts {
  return lightScan(text, file, moduleName, isPackageInit, scopeModule).facts;
}

/**
 * extractLightFacts, with the number of lines of the text (the '\n's plus one, as countLines in
 * fileReader.ts): the scan finds every '\n' anyway, and counting them again took a pass over
 * every file (the stdlib: 34 ms of the thread that reads).
 */
export function lightScan(text: string, file: string, moduleName: string, isPackageInit: boolean, scopeModule = moduleName): { facts: FileFacts; lines: number } {
  const facts = emptyFacts(file, 'python', moduleName);
  const top = moduleScope(scopeModule);
  const span = (line: number, col = 0, len = 0): Span => ({ file, start: { line, character: col }, end: { line, character: col + len } });
  const aliases = new Map<string, string>();
  const absolute = (relative: string) => {
    const dots = relative.match(/^\.*/)![0].length;
    if (dots === 0) return relative;
    const parts = moduleName.split('.');
    const keep = parts.length - (isPackageInit ? dots - 1 : dots);
    return [parts.slice(0, Math.max(0, keep)).join('.'), relative.slice(dots)].filter(Boolean).join('.');
  };
  // Every function of the file is this one unit (LINE_SCANNED_BODY): reaching any function
  // reaches what the file's functions call, and the program resolves each of them to it.
  const body = functionScope(scopeModule, BODY);
  const units = utf16Units(text);
  const lines = scanLines(text, units);
  // A script's `if __name__ == '__main__':` block runs when the file is the program, not when
  // it is imported: a unit of its own, as the parser makes it (a thin main.py calling into a
  // package is line-scanned, and its calls there must be reached from its main process).
  const guardLine = lines.topLevel.firstGuardLine;
  const mainScope = guardLine >= 0 ? functionScope(scopeModule, MAIN_QUALNAME) : undefined;
  const classStack: { indent: number; qualname: string }[] = [];
  /** The file's top-level functions and classes. */
  const local = new Set<string>();
  for (const statement of lines.statements) {
    readStatement(statement.keyword, statement.at, statement.end, statement.indent, statement.line);
  }

  function readStatement(keyword: string, at: number, end: number, indent: number, i: number): void {
    const lineLength = end - at;
    if (keyword === 'import') {
      const line = text.slice(at, end);
      const im = line.match(/^\s*import\s+([\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)/);
      for (const part of im ? im[1].split(',') : []) {
        const [mod, alias] = part.trim().split(/\s+as\s+/);
        const bound = alias ?? mod.split('.')[0];
        aliases.set(bound, alias ? mod : bound);
        facts.imports.push({ fromModule: moduleName, module: mod, alias: bound, span: span(i, indent, line.length - indent), scope: top });
      }
      return;
    }
    if (keyword === 'from') {
      const line = text.slice(at, end);
      const fm = line.match(/^\s*from\s+(\.*[\w.]*)\s+import\s+(.*)$/);
      if (!fm) return;
      // A comment may hold a ')' (`from x import (  # noqa: F401 (public)`): not the list's.
      let names = fm[2].replace(/#.*$/, '');
      // A parenthesised list may continue over several lines; so may a line ending in '\'.
      if (names.includes('(') && !names.includes(')')) {
        const rest = text.slice(at + line.length, at + line.length + 4096).replace(/#[^\n]*/g, '');
        const close = rest.indexOf(')');
        names += ' ' + (close === -1 ? rest : rest.slice(0, close));
      } else if (names.trimEnd().endsWith('\\')) {
        let next = at + line.length;
        for (let k = 0; k < 20 && names.trimEnd().endsWith('\\'); k++) {
          const lineEnd = text.indexOf('\n', next + 1);
          names += ' ' + text.slice(next + 1, lineEnd === -1 ? undefined : lineEnd).replace(/#.*$/, '');
          if (lineEnd === -1) break;
          next = lineEnd;
        }
      }
      const module = absolute(fm[1]);
      for (const part of names.replace(/[()\\]/g, ' ').replace(/#[^\n]*/g, '').split(',')) {
        const [name, alias] = part.trim().split(/\s+as\s+/);
        if (!name || !/^[\w*]+$/.test(name)) continue;
        if (name === '*') {
          facts.imports.push({ fromModule: moduleName, module, name: '*', alias: '*', span: span(i), scope: top });
          continue;
        }
        aliases.set(alias ?? name, `${module}.${name}`);
        facts.imports.push({ fromModule: moduleName, module, name, alias: alias ?? name, span: span(i, indent, line.length - indent), scope: top });
      }
      return;
    }
    // A def or class at this indent is outside every class indented as much or more.
    while (classStack.length && indent <= classStack[classStack.length - 1].indent) classStack.pop();
    const outer = classStack.length ? classStack[classStack.length - 1].qualname + '.' : '';
    // `class\s+(\w+)` and `(?:async\s+)?def\s+(\w+)` after the indent, read by hand.
    const className = keyword === 'class' ? wordAfterSpaces(text, at + indent + 5, end) : undefined;
    if (className !== undefined) {
      const qualname = outer + className;
      // The bases as written (`class MyWorker(BaseWorker):`): a subclass of a workspace
      // Process subclass or handler class is one too, wherever it is defined.
      const open = text.indexOf('(', at + indent + 5 + className.length);
      const close = open !== -1 && open < end ? text.indexOf(')', open) : -1;
      const bases = close !== -1 && close < end
        ? text.slice(open + 1, close).split(',').map((b) => b.trim()).filter((b) => /^[A-Za-z_][\w.]*$/.test(b))
          .map((written) => {
            // Qualified as the parser's symbol references are: through the imports, else local.
            const dot = written.indexOf('.');
            const head = dot === -1 ? written : written.slice(0, dot);
            const target = aliases.get(head);
            const name = target !== undefined ? target + (dot === -1 ? '' : written.slice(dot)) : `${moduleName}.${written}`;
            return { fromModule: moduleName, name, span: span(i, indent, lineLength - indent) };
          })
        : [];
      facts.classes.push({ module: moduleName, qualname, bases, span: span(i, indent, lineLength - indent) });
      if (indent === 0) local.add(className);
      classStack.push({ indent, qualname });
      return;
    }
    const functionName =
      keyword === 'def' ? wordAfterSpaces(text, at + indent + 3, end)
      : keyword === 'async' ? asyncDefName(text, at + indent + 5, end)
      : undefined;
    if (functionName !== undefined) {
      facts.functions.push({ scope: body, module: moduleName, qualname: outer + functionName, span: span(i, indent, lineLength - indent) });
      if (indent === 0) local.add(functionName);
    }
  }

  facts.functions.push({ scope: body, module: moduleName, qualname: BODY, span: span(0) });
  if (mainScope) facts.functions.push({ scope: mainScope, module: moduleName, qualname: MAIN_QUALNAME, span: span(guardLine) });
  // The file's own top-level functions and classes (readStatement collected them), called from
  // its top level or main guard (`def main(): ...` / `if __name__ == '__main__': main()`): an
  // edge to the functions' unit. Called from a function, the edge would lead from that unit to
  // itself: not looked for. An imported name of the same spelling is the import's.
  for (const name of local) if (aliases.has(name)) local.delete(name);
  // Names called from other modules: `imported(...)` and `alias.attr(...)`.
  const names = new Set([...aliases.keys()].filter((name) => /^\w+$/.test(name)));
  const lineOf = (offset: number) => countBelow(lines.newlines, lines.newlineCount, offset);
  const { logCall, loggedTo, calls, instances } = scanCalls(text, units, names, moduleName);
  // The file's own functions, looked for only where a call of them leads somewhere: outside
  // defs and classes (module-level code, the main guard), which is little of most files.
  if (local.size > 0) calls.push(...scanOutsideDefs(text, units, local, lines.topLevel));
  if (logCall) {
    // The file is one unit: each of its log calls may run in any of its scopes.
    for (const scope of mainScope ? [top, body, mainScope] : [top, body]) {
      if (loggedTo === undefined) facts.logCalls.push({ scope, span: span(0) });
      else for (const logger of loggedTo) facts.logCalls.push({ scope, span: span(0), logger });
    }
  }
  const result = { facts, lines: lines.newlineCount + 1 };
  if (calls.length === 0) return result;
  // Callees already recorded, per unit.
  const seen = [new Set<string>(), new Set<string>(), new Set<string>()];
  // The same `name(` / `name.attr(` again in the same unit gives the same edge: skip it before
  // building names. Units: 0 the module's top level, 1 the functions, 2 the main guard.
  const seenBare = [new Set<string>(), new Set<string>(), new Set<string>()];
  const seenAttrs = [new Map<string, Set<string>>(), new Map<string, Set<string>>(), new Map<string, Set<string>>()];
  const unitScopes = [top, body, mainScope ?? body];
  for (const call of calls) {
    // The top-level statement around the call decides: a def or class (the functions' unit),
    // the main guard, or other module-level code (`try:`, `if DEBUG:`, `with ...:`), which runs
    // at import like a call at the left margin.
    const atMargin = call.start === 0 || units[call.start - 1] === 10;
    const around = atMargin ? OTHER : kindAt(lines.topLevel, call.start);
    const unit = around === DEF ? 1 : around === GUARD ? 2 : 0;
    if (call.attr === undefined) {
      if (seenBare[unit].has(call.name)) continue;
      seenBare[unit].add(call.name);
    } else {
      let attrs = seenAttrs[unit].get(call.name);
      if (attrs === undefined) seenAttrs[unit].set(call.name, (attrs = new Set()));
      if (attrs.has(call.attr)) continue;
      attrs.add(call.attr);
    }
    // An instance's method is its class's (`runner.go()` → `pkg.Runner.go`); a bare call of
    // the instance (`runner()`) is the class's `__call__`, not followed.
    const cls = instances.get(call.name);
    if (cls !== undefined && call.attr === undefined) continue;
    const written = cls ?? call.name;
    const dot = written.indexOf('.');
    const head = dot === -1 ? written : written.slice(0, dot);
    const target = (aliases.get(head) ?? `${moduleName}.${head}`) + (dot === -1 ? '' : written.slice(dot));
    const name = call.attr !== undefined ? `${target}.${call.attr}` : target;
    if (seen[unit].has(name)) continue;
    seen[unit].add(name);
    const lineStart = text.lastIndexOf('\n', call.start) + 1;
    const i = lineOf(call.start);
    const literal = text.slice(call.paren + 1, call.paren + 301).match(/^\s*(['"])([^'"\n]*)\1/);
    // `[Worker() for _ in range(3)]`: a comprehension on the call's line makes many (a class
    // call there starts a process per item).
    const lineEnd = text.indexOf('\n', call.paren);
    const rest = text.slice(call.paren, lineEnd === -1 ? undefined : lineEnd);
    const inLoop = (rest.includes('for') && COMPREHENSION.test(rest)) || undefined;
    facts.calls.push({
      from: unitScopes[unit],
      callee: { fromModule: moduleName, name, span: span(i, call.start - lineStart, call.paren - call.start) },
      pathArg: literal ? { kind: 'literal', value: literal[2] } : undefined,
      inLoop,
    });
  }
  return result;
}

interface Statement {
  keyword: string;
  /** Where the line starts and ends (before its line break). */
  at: number;
  end: number;
  indent: number;
  line: number;
}

/**
 * The lines that start (after spaces and tabs) with `import`, `from`, `class`, `def` or `async`
 * as a whole word, and where the '\n's are. Lines are what `^...$` spans in a multiline regular
 * expression: they end at '\n' and, rarely, at '\r', U+2028 or U+2029; line numbers count '\n'
 * only. (A function of its own, without closures, so that its variables stay in registers.)
 */
function scanLines(text: string, units: Uint16Array): { statements: Statement[]; newlines: Int32Array; newlineCount: number; topLevel: TopLevel } {
  const n = text.length;
  const topLevel: TopLevel = { changes: [], firstGuardLine: -1 };
  let lastKind = OTHER;
  // Three searches for one character each are much faster than one for a character class.
  const otherBreaks = text.indexOf('\r') !== -1 || text.indexOf('\u2028') !== -1 || text.indexOf('\u2029') !== -1;
  const statements: Statement[] = [];
  let newlines = newlineScratch;
  let newlineCount = 0;
  for (let p = 0; ; ) {
    let br: number;
    if (otherBreaks) {
      ANY_LINE_BREAK.lastIndex = p;
      br = ANY_LINE_BREAK.exec(text)?.index ?? -1;
    } else {
      br = text.indexOf('\n', p);
    }
    let q = p;
    let c = units[q];
    while (c === 32 || c === 9) c = units[++q];
    const keyword =
      c === 105 ? (text.startsWith('import', q) ? 'import' : undefined)
      : c === 102 ? (text.startsWith('from', q) ? 'from' : undefined)
      : c === 99 ? (text.startsWith('class', q) ? 'class' : undefined)
      : c === 100 ? (text.startsWith('def', q) ? 'def' : undefined)
      : c === 97 ? (text.startsWith('async', q) ? 'async' : undefined)
      : undefined;
    const isKeyword = keyword !== undefined && !isWordChar(units[q + keyword.length]);
    if (isKeyword) statements.push({ keyword, at: p, end: br === -1 ? n : br, indent: q - p, line: newlineCount });
    if (q === p && (c === 64 || c === 95 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) {
      // A statement at the left margin (or a line of a string or bracket that happens to start
      // there: then the kind stays what it was unless the line looks like a def or a guard).
      const kind = (isKeyword && keyword !== 'import' && keyword !== 'from') || c === 64 ? DEF
        : c === 105 && units[q + 1] === 102 && MAIN_GUARD.test(text.slice(q, br === -1 ? n : br)) ? GUARD
        : OTHER;
      if (kind === GUARD && topLevel.firstGuardLine === -1) topLevel.firstGuardLine = newlineCount;
      if (kind !== lastKind || kind === GUARD) topLevel.changes.push(p, kind);
      lastKind = kind;
    }
    if (br === -1) break;
    if (units[br] === 10) {
      if (newlineCount === newlines.length) newlines = grow(newlines);
      newlines[newlineCount++] = br;
    }
    p = br + 1;
  }
  if (newlines.length <= 1 << 20) newlineScratch = newlines;
  return { statements, newlines, newlineCount, topLevel };
}

/** `\s+(\w+)` at `from`, within the line that ends at `lineEnd`: the word, or undefined. */
function wordAfterSpaces(text: string, from: number, lineEnd: number): string | undefined {
  let start = from;
  while (start < lineEnd && isSpace(text.charCodeAt(start))) start++;
  if (start === from) return undefined;
  let end = start;
  while (end < lineEnd && isWordChar(text.charCodeAt(end))) end++;
  return end === start ? undefined : text.slice(start, end);
}

/** `\s+def\s+(\w+)` at `from` (just after `async`), within the line. */
function asyncDefName(text: string, from: number, lineEnd: number): string | undefined {
  let at = from;
  while (at < lineEnd && isSpace(text.charCodeAt(at))) at++;
  return at > from && at + 3 <= lineEnd && text.startsWith('def', at) ? wordAfterSpaces(text, at + 3, lineEnd) : undefined;
}

function grow(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** How many of the first `count` (ascending) offsets are below `offset`. */
function countBelow(offsets: Int32Array, count: number, offset: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface CallSite {
  /** Where `name` starts. */
  start: number;
  /** Where the `(` is. */
  paren: number;
  name: string;
  attr?: string;
}

/**
 * Every `(` of the text, read backwards: `name (` or `name . attr (` (spaces anywhere between)
 * with `name` imported and not itself after a `.`, and whether some `.method(` is a logging call
 * on something named like a logger. A call site holds a single `(`, so sites never overlap and
 * the earlier start wins when both forms end at the same `(` (the same matches, in the same
 * order, as the regular expression `(?<![\w.])(names)(?:\s*\.\s*([A-Za-z_]\w*))?\s*\(` with /g).
 */
function scanCalls(text: string, units: Uint16Array, names: Set<string>, moduleName: string): { logCall: boolean; loggedTo?: Set<string>; calls: CallSite[]; instances: Map<string, string> } {
  const calls: CallSite[] = [];
  const instances = new Map<string, string>();
  const logs: LogScan = { moduleName, logCall: false, anyLogger: false, named: new Set(), receivers: undefined, loggers: undefined };
  withHints(names, () => scanParens(text, units, names, nameHint, calls, 0, text.length, instances, logs));
  // Receivers resolved once every `x = logging.getLogger(...)` of the file is known.
  for (const r of logs.receivers ?? []) {
    if (!logs.loggers?.has(r)) continue;
    logs.logCall = true;
    const name = logs.loggers.get(r);
    if (name === undefined) logs.anyLogger = true;
    else logs.named.add(name);
  }
  for (const r of logs.loggerLike ?? []) {
    // `log.info(...)` with `log` imported or passed in: a logger we cannot name.
    const name = logs.loggers?.get(r);
    if (name === undefined) logs.anyLogger = true;
    else logs.named.add(name);
  }
  return { logCall: logs.logCall, loggedTo: logs.logCall && !logs.anyLogger ? logs.named : undefined, calls, instances };
}

/**
 * What the scan learns of the file's log calls: whether there is one, and the loggers they log
 * to (`logging.info` → the root `''`, `log = logging.getLogger("app")` then `log.info` → `app`),
 * or that some call's logger is unknown (`anyLogger`).
 */
interface LogScan {
  moduleName: string;
  logCall: boolean;
  anyLogger: boolean;
  named: Set<string>;
  /** Log calls on a plain name not itself named like a logger: a logger only if bound by getLogger. */
  receivers: string[] | undefined;
  /** Log calls on a name like `log`/`logger`: log calls, to the logger getLogger bound it to if any. */
  loggerLike?: string[];
  /** Names bound by `x = ....getLogger(...)`, with the logger's name when it is written. */
  loggers: Map<string, string | undefined> | undefined;
}

/** The logger a `getLogger(` call at `paren` names: a string literal, or `__name__`. */
function loggerNamedAt(text: string, paren: number, moduleName: string): string | undefined {
  const m = LOGGER_ARGUMENT.exec(text.slice(paren + 1, paren + 120));
  if (!m) return undefined;
  return m[2] !== undefined ? m[2] : m[3] !== undefined ? moduleName : '';
}
const LOGGER_ARGUMENT = /^\s*(?:(['"])([^'"\n]*)\1|(__name__)|())\s*\)/;

/** The logger a log call's receiver names (`logging.` → root), or undefined when unknown. */
function loggerOfReceiver(before: string, moduleName: string): string | undefined {
  if (/(?:^|[^\w.])logging\s*$/.test(before)) return '';
  const call = /getLogger\(\s*(?:(['"])([^'"\n]*)\1|(__name__)|)\s*\)\s*$/.exec(before);
  if (!call) return undefined;
  return call[2] !== undefined ? call[2] : call[3] !== undefined ? moduleName : '';
}

/** Calls of `names` in the parts of the text outside top-level defs and classes. */
function scanOutsideDefs(text: string, units: Uint16Array, names: Set<string>, topLevel: TopLevel): CallSite[] {
  const calls: CallSite[] = [];
  const changes = topLevel.changes;
  withHints(names, () => {
    for (let k = -2; k < changes.length; k += 2) {
      if (k >= 0 && changes[k + 1] === DEF) continue;
      const from = k < 0 ? 0 : changes[k];
      const to = k + 2 < changes.length ? changes[k + 2] : text.length;
      if (to > from) scanParens(text, units, names, nameHint, calls, from, to);
    }
  });
  return calls;
}

/** Runs `scan` with `nameHint` set for `names`, and clears it after. */
function withHints<T>(names: Set<string>, scan: () => T): T {
  for (const name of names) nameHint[hintAt(name)] = 1;
  try {
    return scan();
  } finally {
    for (const name of names) nameHint[hintAt(name)] = 0;
  }
}

/** A cheap look-up before cutting a word out of the text: names by length and last character. */
function hintAt(name: string): number {
  return ((name.length & 63) << 7) | (name.charCodeAt(name.length - 1) & 127);
}

/** Names by length and last character: set for the names of the file being read, then cleared. */
const nameHint = new Uint8Array(64 * 128);

/** scanCalls' loop, free of closures; adds to `calls`, tells whether there is a logging call. */
function scanParens(text: string, units: Uint16Array, names: Set<string>, hint: Uint8Array, calls: CallSite[], from: number, to: number, instances?: Map<string, string>, logs?: LogScan): void {
  const wantCalls = names.size > 0;
  // `audit = logging.getLogger('audit')` names a logger; `audit.warning(...)` may come before
  // or after it in the text: receivers of log methods are kept until the end (scanCalls).
  for (let paren = text.indexOf('(', from); paren !== -1 && paren < to; paren = text.indexOf('(', paren + 1)) {
    let end = paren; // the word before the '(' ends here (exclusive)
    while (end > 0 && isSpace(units[end - 1])) end--;
    if (end === 0 || !isWordChar(units[end - 1])) continue;
    let start = end - 1;
    while (start > 0 && isWordChar(units[start - 1])) start--;
    // `.` before the word (spaces between)?
    let dot = start;
    while (dot > 0 && isSpace(units[dot - 1])) dot--;
    dot--;
    const afterDot = dot >= 0 && units[dot] === DOT;
    // Once one log call's logger is unknown, the others add nothing.
    if (logs && afterDot && !logs.anyLogger && isLogMethod(text, start, end)) {
      const before = text.slice(Math.max(0, dot - 60), dot);
      const receiver = /(\w+)\s*$/.exec(before)?.[1];
      if (LOGGER_BEFORE.test(before)) {
        logs.logCall = true;
        const direct = loggerOfReceiver(before, logs.moduleName);
        if (direct !== undefined) logs.named.add(direct);
        else if (receiver !== undefined) (logs.loggerLike ??= []).push(receiver);
        else logs.anyLogger = true;
      } else if (receiver !== undefined) {
        (logs.receivers ??= []).push(receiver);
      }
    }
    if (logs && ((end - start === 9 && text.startsWith('etLogger', start + 1)) || (end - start === 10 && text.startsWith('get_logger', start)))) {
      const m = LOGGER_ASSIGNED.exec(text.slice(text.lastIndexOf('\n', start) + 1, start));
      if (m) {
        // A helper of the project's (`get_logger(__name__)`) may name another logger: unknown.
        const name = text.startsWith('getLogger', start) ? loggerNamedAt(text, paren, logs.moduleName) : undefined;
        const known = (logs.loggers ??= new Map()).get(m[1]);
        // Bound twice to different loggers: either may be the one a call uses.
        logs.loggers.set(m[1], logs.loggers.has(m[1]) && known !== name ? undefined : name);
      }
    }
    if (!wantCalls) continue;
    const first = units[start];
    if (afterDot && !(first >= 48 && first <= 57)) {
      // `name . attr (`, or `name . sub . attr (` (`app.log.configure()` after `import
      // app.log`): the first word of the chain is an imported name.
      let nameEnd = dot;
      let nameStart = -1;
      let attrStart = start;
      for (let segments = 0; segments < 4; segments++) {
        while (nameEnd > 0 && isSpace(units[nameEnd - 1])) nameEnd--;
        if (nameEnd === 0 || !isWordChar(units[nameEnd - 1])) break;
        let wordStart = nameEnd - 1;
        while (wordStart > 0 && isWordChar(units[wordStart - 1])) wordStart--;
        let before = wordStart;
        while (before > 0 && isSpace(units[before - 1])) before--;
        if (before > 0 && units[before - 1] === DOT) {
          // Another `word .` before this one: the chain goes on.
          attrStart = wordStart;
          nameEnd = before - 1;
          continue;
        }
        nameStart = wordStart;
        break;
      }
      const name = nameStart >= 0 ? nameAt(text, units, names, hint, nameStart, nameEnd) : undefined;
      if (name !== undefined) {
        const attr = attrStart === start ? text.slice(start, end) : text.slice(attrStart, end).replace(/\s+/g, '');
        calls.push({ start: nameStart, paren, name, attr });
        if (instances) noteInstance(text, units, names, hint, instances, nameStart, start, `${name}.${attr}`);
        continue;
      }
    }
    const name = nameAt(text, units, names, hint, start, end);
    if (name === undefined) continue;
    calls.push({ start, paren, name });
    if (instances) noteInstance(text, units, names, hint, instances, start, start, name);
  }
}

/**
 * `runner = Runner(...)` / `t = tools.Thing(...)` of an imported class (a capitalised name at
 * `classAt`): `runner.go()` after it calls the class's method. The variable joins the names
 * looked for from here on (its hint is cleared with theirs).
 */
function noteInstance(text: string, units: Uint16Array, names: Set<string>, hint: Uint8Array, instances: Map<string, string>, callStart: number, classAt: number, cls: string): void {
  const initial = units[classAt];
  if (initial < 65 || initial > 90) return;
  const assigned = INSTANCE_ASSIGNED.exec(text.slice(text.lastIndexOf('\n', callStart) + 1, callStart));
  if (!assigned || names.has(assigned[1])) return;
  instances.set(assigned[1], cls);
  names.add(assigned[1]);
  hint[hintAt(assigned[1])] = 1;
}

/** `    runner = ` before a class call: the name the instance is bound to. */
const INSTANCE_ASSIGNED = /^\s*([A-Za-z_]\w*)\s*=\s*$/;

/** The word text[from, to) if it is one of the names and not after a '.'. */
function nameAt(text: string, units: Uint16Array, names: Set<string>, hint: Uint8Array, from: number, to: number): string | undefined {
  if (from > 0 && units[from - 1] === DOT) return undefined;
  if (hint[(((to - from) & 63) << 7) | (units[to - 1] & 127)] !== 1) return undefined;
  const word = text.slice(from, to);
  return names.has(word) ? word : undefined;
}

/** The kind of the last top-level line at or before `offset` (OTHER before the first). */
function kindAt(topLevel: TopLevel, offset: number): number {
  const changes = topLevel.changes;
  let lo = 0;
  let hi = changes.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (changes[2 * mid] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? OTHER : changes[2 * (lo - 1) + 1];
}
