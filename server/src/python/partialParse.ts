/**
 * Partial parse: a file the prefilter sends to the parser usually needs the parser for a few of
 * its statements only. Most of its text sits in functions and methods that create no handler,
 * start no process and touch nothing the extractor looks for (the standard library's parsed
 * files: two thirds of their characters). Those `def`s are left out of the text the parser
 * reads and read by the line scan instead (lightFacts.ts): their imports, definitions and
 * calls, which is what carries reachability through them. Lines keep their numbers, and the
 * lines the parser reads keep their text, so every span is the one a full parse would give.
 *
 * What can be left out: a top-level `def` or a `def` directly in a top-level class, as a stub:
 * its header and `pass` (in a file that may unpickle received bytes, a class one of whose
 * methods is kept keeps all of them). Never a decorated one (a decorator can make a function a
 * task or a signal handler), nor one on a single line. A statement is kept when it names:
 *   - a word of the prefilter, unconfirmed (`RotatingFileHandler(` without `logging` nearby is a
 *     handler here);
 *   - a word of what the extractor reads inside functions: handlers attached, removed or
 *     cleared, propagation, rank and main-process guards, queues and pools, gunicorn hooks;
 *     in a file that may unpickle received bytes, pickle (see partialText);
 *   - in a file with a QueueHandler, a `global` declaration (LF103: who sets the queue global);
 *   - a name the file binds to something that matters: what a statement that names one of these
 *     imports or assigns, the globals a kept function declares, the kept functions, methods and
 *     classes themselves (a caller passes the arguments that decide a worker count or a path).
 *     Found to a fixed point.
 */
import { mayUnpickleReceivedBytes, RELEVANT_WORDS } from './prefilter';

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wordsPattern = (words: string[]) => new RegExp(words.map(escape).join('|'));

/** Beyond the prefilter's words: what the extractor reads in a function of a relevant file. */
const FUNCTION_WORDS = [
  ...RELEVANT_WORDS,
  // handlers attached, removed or cleared; loggers that stop propagating (LF105)
  'addHandler', 'removeHandler', 'handlers', 'propagate',
  // rank and main-process guards (processGuards.ts)
  'rank', 'RANK', 'is_main', 'is_local_main', 'is_global_zero', 'is_master', 'MainProcess', 'current_process', 'parent_process',
  // queues and pools handed to tasks (LF102, LF103)
  'Queue', 'Pool', 'Process', 'Manager',
  // gunicorn hooks and Celery signals (configs/python)
  'on_starting', 'when_ready', 'on_reload', 'pre_fork', 'post_worker_init', 'worker_process_init', 'Celery', 'setup_logg',
];
const FUNCTION_WORD = wordsPattern(FUNCTION_WORDS);
const UNPICKLING_FILE_WORD = wordsPattern([...FUNCTION_WORDS, 'pickle', 'Pickle', 'Unpickler']);

/** Below this share of the text left out, a partial parse is not worth its bookkeeping. */
const MIN_LEFT_OUT_SHARE = 0.15;

export interface PartialText {
  /** The text with the left-out statements' lines emptied: what the parser reads. */
  parsed: string;
  /**
   * The left-out statements' lines, the first line of a class they are in and every import
   * line of the kept statements (a `try:` block's too), every other line emptied: what the line
   * scan reads.
   */
  scanned: string;
}

/** A top-level statement, or a statement directly in a top-level class's body. */
interface Unit {
  /** Offsets of its first line's start and of the end of its last line (before its '\n'). */
  start: number;
  end: number;
  text: string;
  /** The name a `def` or `class` defines, decorated or not, and where the name ends in `text`. */
  name?: string;
  nameEnd?: number;
  /**
   * May be left out: not decorated, not on one line; a `def`, or a top-level class whose methods
   * are not read one by one (in a file that unpickles).
   */
  blankable: boolean;
  /** Names one of the words. */
  named: boolean;
  kept: boolean;
  /** The functions it names were kept (keepCallees). */
  calleesTaken?: boolean;
  /** Its bound names were taken (boundNames). */
  bindsTaken?: boolean;
  /** A class kept whole (keepClassesWhole). */
  wholeTaken?: boolean;
  /** A top-level class: its members, the first of them after the class's own header. */
  members?: Unit[];
  /** Where its body's first line starts, and that line's indent: a `def` or class that is not on one line. */
  bodyStart?: number;
  bodyIndent?: number;
}

/**
 * In a file that unpickles: keeps whole each class that has a member kept for what it names (or
 * that names a kept function), since the trace follows `self.<attr>` to every method of the
 * class; whether that kept any.
 */
function keepClassesWhole(statements: Unit[]): boolean {
  let keptMore = false;
  for (const s of statements) {
    if (!s.members || s.wholeTaken) continue;
    if (!s.named && !s.members.some((m) => m.named || (m.blankable && m.kept))) continue;
    s.wholeTaken = true;
    for (const m of s.members) {
      if (m.kept) continue;
      m.kept = true;
      keptMore = true;
    }
  }
  return keptMore;
}

/**
 * The two texts of a partial parse, or undefined when too little can be left out: then the
 * whole file is parsed.
 */
export function partialText(text: string): PartialText | undefined {
  // Received bytes are traced back from the unpickling call through the functions it calls, its
  // callers and the attributes of its class (receivedBytes.ts): such a file keeps whole the
  // classes it keeps a method of, and the functions what it keeps calls. The trace starts at
  // the unpickling: naming a socket is no reason to keep a unit (the stdlib's tests of sockets
  // and paths were parsed whole for it).
  const unpickles = mayUnpickleReceivedBytes(text);
  const statements = topLevelUnits(text);
  if (!statements) return undefined;
  const words = unpickles ? UNPICKLING_FILE_WORD : FUNCTION_WORD;
  const all: Unit[] = [];
  const members = new Set<Unit>();
  for (const s of statements) {
    all.push(s);
    for (const m of s.members ?? []) {
      all.push(m);
      members.add(m);
    }
  }
  // LF103 reads which functions assign the global a QueueHandler takes its queue from (an
  // initializer that hands it over): in a file with one, functions that declare globals stay.
  const keepsGlobalSetters = text.includes('QueueHandler');
  for (const u of all) {
    u.named = words.test(u.text);
    u.kept = !u.blankable || u.named || (keepsGlobalSetters && DECLARES_GLOBAL.test(u.text));
  }
  // A class whose header names a word (`class Worker(mp.Process)`) is kept whole.
  for (const s of statements) if (s.members && s.named) for (const m of s.members) m.kept = true;
  // Most of it named already (a test of sockets or processes): not worth the rest.
  let named = 0;
  for (const u of all) if (u.named && !u.members) named += u.end - u.start;
  if (named > (1 - MIN_LEFT_OUT_SHARE) * text.length) return undefined;
  const bound = new Set<string>();
  let boundPattern: RegExp | undefined;
  for (;;) {
    let grew = false;
    for (const u of all) {
      if (!u.kept || u.members || u.bindsTaken) continue;
      if (u.name === undefined && !u.named && !(boundPattern?.test(u.text) ?? false)) continue;
      u.bindsTaken = true;
      // In a file that unpickles, a method's callers (`self.unPickle(...)`) are in its class,
      // which is kept whole: its name would keep every `__init__` and `close` of the file.
      for (const name of boundNames(u, words, !(unpickles && members.has(u)))) {
        if (!bound.has(name)) {
          bound.add(name);
          grew = true;
        }
      }
    }
    for (const s of statements) {
      if (!s.members) continue;
      // Its callers matter when what a call runs is kept: `Worker(n)`, `Worker(n).start()`.
      const called = s.named || s.members.some((m) => m.kept && m.name !== undefined && CALLED_METHOD.test(m.text));
      if (called && s.name !== undefined && !bound.has(s.name)) {
        bound.add(s.name);
        grew = true;
      }
    }
    // Units kept here have their names taken in the next round.
    let more = unpickles && keepClassesWhole(statements);
    if (unpickles && keepCallees(statements, all)) more = true;
    if (grew) {
      boundPattern = new RegExp(`\\b(?:${[...bound].map(escape).join('|')})\\b`);
      for (const u of all) {
        if (u.kept || u.members) continue;
        // Past its own name: a method named as a kept one is not a caller of it.
        if (boundPattern.test(u.text.slice(u.nameEnd ?? 0))) {
          u.kept = true;
          more = true;
        }
      }
    }
    if (!more) break;
  }
  // A class stays, its methods that are left out as stubs.
  let leftOut = 0;
  for (const u of all) if (!u.kept && !u.members) leftOut += u.end - u.bodyStart!;
  if (leftOut < MIN_LEFT_OUT_SHARE * text.length) return undefined;
  return texts(text, statements);
}

/**
 * Keeps the top-level functions and classes that kept units name (and so may call); whether
 * that kept any. Each kept unit is read once.
 */
function keepCallees(statements: Unit[], all: Unit[]): boolean {
  const byName = new Map<string, Unit>();
  for (const s of statements) if (s.blankable && s.name !== undefined) byName.set(s.name, s);
  let keptMore = false;
  const pending = all.filter((u) => u.kept && !u.calleesTaken);
  while (pending.length > 0) {
    const s = pending.pop()!;
    s.calleesTaken = true;
    for (const m of s.text.matchAll(IDENTIFIER)) {
      const callee = byName.get(m[0]);
      if (callee && !callee.kept) {
        callee.kept = true;
        keptMore = true;
        pending.push(callee);
      }
    }
  }
  return keptMore;
}

/**
 * The parser's text and the line scan's, built in one pass over the units. A left-out `def`
 * or class keeps its header in the parser's text, its body one `pass` (so the extractor still
 * knows the name, its parameters and bases); the scan reads all of it.
 */
function texts(text: string, statements: Unit[]): PartialText {
  const parsed: string[] = [];
  const scanned: string[] = [];
  let at = 0;
  /** Up to `end`, the text goes to one side and its line breaks to the other. */
  const give = (end: number, toParser: boolean) => {
    const piece = text.slice(at, end);
    const breaks = newlinesIn(piece);
    parsed.push(toParser ? piece : breaks);
    scanned.push(toParser ? breaks : piece);
    at = end;
  };
  const giveBoth = (end: number) => {
    const piece = text.slice(at, end);
    parsed.push(piece);
    scanned.push(piece);
    at = end;
  };
  const leaveOut = (u: Unit) => {
    giveBoth(u.bodyStart!);
    const body = text.slice(u.bodyStart, u.end);
    const firstBreak = body.indexOf('\n');
    parsed.push(text.slice(u.bodyStart, u.bodyStart! + u.bodyIndent!) + 'pass' + (firstBreak === -1 ? '' : newlinesIn(body.slice(firstBreak))));
    scanned.push(body);
    at = u.end;
  };
  for (const s of statements) {
    give(s.start, true);
    if (s.kept && IMPORT_STATEMENT.test(s.text)) {
      // To both: the scan resolves the calls it reads through the file's imports.
      giveBoth(s.end);
    } else if (s.members) {
      // The class's header to both: the scan names the methods it reads after it.
      giveBoth(s.members[0].start);
      for (const m of s.members) {
        give(m.start, true);
        if (m.kept) give(m.end, true);
        else leaveOut(m);
      }
      give(s.end, true);
    } else if (s.kept) {
      // The scan gets its imports (`try: from x import y`) for the calls it resolves.
      const piece = text.slice(at, s.end);
      parsed.push(piece);
      scanned.push(piece.replace(NOT_AN_IMPORT_LINE, ''));
      at = s.end;
    } else {
      leaveOut(s);
    }
  }
  give(text.length, true);
  return { parsed: parsed.join(''), scanned: scanned.join('') };
}

function newlinesIn(text: string): string {
  return '\n'.repeat(count(text, '\n'));
}

const IDENTIFIER = /[A-Za-z_]\w*/g;
const IMPORT_STATEMENT = /^(?:import|from)[ \t]/;
/** A line's text unless it is an import: emptied, its line break kept. */
const NOT_AN_IMPORT_LINE = /^(?![ \t]*(?:import|from)[ \t]).+/gm;
const IMPORT_LINE = /^[ \t]*import[ \t]+(.*)$/gm;
const FROM_IMPORT = /^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+\(?([^)#]*)/gm;
/** `NAME = ...`, `a, b = ...`, `NAME: T = ...` at any indent (a `try:` or `if` block's too). */
const ASSIGNMENT = /^[ \t]*([\w \t,.()[\]*]+?)[ \t]*(?::[^=\n]*)?=(?!=)/gm;
const GLOBAL = /^[ \t]*global[ \t]+([\w \t,]+)/gm;
/** A `global` statement in the text (or a string's line that looks like one); extract.ts's findGlobalSetters too. */
export const DECLARES_GLOBAL = /^[ \t]*global[ \t]/m;
const DEFINED = /^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)/;

/** The name a statement's `def` or `class` defines, and where it ends. */
function definedName(text: string): { name?: string; nameEnd?: number } {
  const defined = DEFINED.exec(text);
  return defined ? { name: defined[1], nameEnd: defined[0].length } : {};
}
/** The methods a call of the class itself runs (or starts, for a Process or Thread subclass). */
const CALLED_METHOD = /^[ \t]*(?:async[ \t]+)?def[ \t]+(?:__init__|__new__|__call__|run|start)\b/m;

/**
 * The names a kept statement binds that others may use: what it imports or assigns; for a
 * function, its own name and the globals it declares. More than Python binds is fine (it keeps
 * more); fewer is not.
 */
function boundNames(u: Unit, words: RegExp, ownName = true): string[] {
  const names: string[] = [];
  const identifiers = (written: string) => {
    for (const m of written.matchAll(IDENTIFIER)) if (m[0] !== 'as') names.push(m[0]);
  };
  if (u.name !== undefined) {
    if (ownName) names.push(u.name);
    for (const m of u.text.matchAll(GLOBAL)) identifiers(m[1]);
    return names;
  }
  // What is imported under a name without the word: `import multiprocessing as mp` binds mp.
  // `import logging.handlers` binds logging, but each use that matters goes on to name the word
  // (`logging.handlers.…`, `logging.FileHandler`), and `logging.info` does not matter.
  for (const m of u.text.matchAll(IMPORT_LINE)) {
    for (const part of m[1].replace(/#.*$/, '').split(',')) {
      const alias = /\bas[ \t]+(\w+)/.exec(part);
      if (alias && words.test(part)) names.push(alias[1]);
    }
  }
  // `from multiprocessing import Pool, cpu_count`: all of them; `from os import path, fork`: fork.
  for (const m of u.text.matchAll(FROM_IMPORT)) {
    const wholeModule = words.test(m[1]);
    for (const part of m[2].split(',')) if (wholeModule || words.test(part)) identifiers(part);
  }
  for (const m of u.text.matchAll(ASSIGNMENT)) {
    // Not a keyword argument of a call that spans lines (`    exitcode=0)`).
    if (count(m[1], '(') === count(m[1], ')')) identifiers(m[1]);
  }
  return names;
}

function count(text: string, c: string): number {
  let n = 0;
  for (let i = text.indexOf(c); i !== -1; i = text.indexOf(c, i + 1)) n++;
  return n;
}

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const TAB = 9;
const FORM_FEED = 12;
const HASH = 35;
const BACKSLASH = 92;
const SINGLE = 39;
const DOUBLE = 34;
const AT = 64;
const COLON = 58;

/** Where a logical line starts: outside brackets, strings and backslash continuations. */
interface LineStart {
  at: number;
  /** Spaces and tabs before its first character. */
  indent: number;
  /** It ends with ':' (outside strings and comments): a block follows. */
  opensBlock: boolean;
}

/**
 * The lines that start a statement: not blank, not only a comment, outside any bracket, string
 * or backslash continuation. Undefined when the file shows a syntax error that the tokenizer
 * would see: an unclosed bracket or string, an indent where no block opens, a block that does
 * not, a dedent to no enclosing level. A partial parse would hide such an error where it falls
 * in a left-out body, so the file is parsed whole and the error reported as always.
 */
function logicalLineStarts(text: string): LineStart[] | undefined {
  const starts: LineStart[] = [];
  const n = text.length;
  let depth = 0;
  let i = 0;
  let last = 0;
  while (i < n) {
    // A line's start.
    let j = i;
    while (j < n && (text.charCodeAt(j) === SPACE || text.charCodeAt(j) === TAB || text.charCodeAt(j) === FORM_FEED)) j++;
    const first = text.charCodeAt(j);
    if (depth === 0 && j < n && first !== NEWLINE && first !== CARRIAGE_RETURN && first !== HASH) {
      if (starts.length > 0) starts[starts.length - 1].opensBlock = last === COLON;
      starts.push({ at: i, indent: j - i, opensBlock: false });
    }
    // The rest of the line, and of any string, bracket or continuation it opens.
    for (i = j; i < n; ) {
      const c = text.charCodeAt(i);
      if (c === NEWLINE) {
        i++;
        break;
      } else if (c === HASH) {
        const end = text.indexOf('\n', i);
        i = end === -1 ? n : end;
      } else if (c === SINGLE || c === DOUBLE) {
        i = stringEnd(text, i, c);
        if (i < 0) return undefined;
        last = c;
      } else if (c === BACKSLASH) {
        // A continuation: the next line goes on with this statement.
        i += text.charCodeAt(i + 1) === CARRIAGE_RETURN && text.charCodeAt(i + 2) === NEWLINE ? 3 : 2;
      } else {
        if (c === 40 || c === 91 || c === 123) depth++;
        else if (c === 41 || c === 93 || c === 125) {
          if (depth === 0) return undefined;
          depth--;
        }
        if (c !== SPACE && c !== TAB && c !== CARRIAGE_RETURN && c !== FORM_FEED) last = c;
        i++;
      }
    }
  }
  if (depth !== 0) return undefined;
  if (starts.length > 0) starts[starts.length - 1].opensBlock = last === COLON;
  return indentsFit(starts) ? starts : undefined;
}

/** Python's indentation rules, as its tokenizer checks them. */
function indentsFit(starts: LineStart[]): boolean {
  const levels = [0];
  let opens = false;
  for (const line of starts) {
    const current = levels[levels.length - 1];
    if (opens) {
      if (line.indent <= current) return false;
      levels.push(line.indent);
    } else {
      if (line.indent > current) return false;
      while (line.indent < levels[levels.length - 1]) levels.pop();
      if (line.indent !== levels[levels.length - 1]) return false;
    }
    opens = line.opensBlock;
  }
  return !opens;
}

/**
 * The file's top-level statements; each runs from a logical line at the left margin to the
 * next one (comment lines between belong to the first). A top-level class also has its members:
 * the statements at its body's indent.
 */
function topLevelUnits(text: string): Unit[] | undefined {
  const lines = logicalLineStarts(text);
  if (!lines) return undefined;
  const statements: Unit[] = [];
  const unitEnd = (nextStart: number | undefined) => (nextStart === undefined ? text.length : text.lastIndexOf('\n', nextStart - 1));
  const top = lines.filter((l) => l.indent === 0);
  let k = 0;
  for (let t = 0; t < top.length; t++) {
    const start = top[t].at;
    const nextTop = top[t + 1]?.at;
    const end = unitEnd(nextTop);
    const unitText = text.slice(start, end);
    const decorated = t > 0 && text.charCodeAt(top[t - 1].at) === AT;
    const defined = definedName(unitText);
    const defines = !decorated && defined.name !== undefined;
    // The lines inside it.
    while (k < lines.length && lines[k].at <= start) k++;
    const inside: LineStart[] = [];
    while (k < lines.length && (nextTop === undefined || lines[k].at < nextTop)) inside.push(lines[k++]);
    // Not on one line (`def f(): return 1`): a body to leave out.
    const body = inside[0];
    const unit: Unit = { start, end, text: unitText, ...defined, blankable: defines && body !== undefined, named: false, kept: true, bodyStart: body?.at, bodyIndent: body?.indent };
    statements.push(unit);
    if (defines && unitText.startsWith('class') && inside.length > 0) {
      const bodyIndent = inside[0].indent;
      const memberStarts = inside.filter((l) => l.indent === bodyIndent);
      const members: Unit[] = [];
      let line = 0;
      for (let m = 0; m < memberStarts.length; m++) {
        const mStart = memberStarts[m].at;
        const mEnd = m + 1 < memberStarts.length ? unitEnd(memberStarts[m + 1].at) : end;
        const mText = text.slice(mStart, mEnd);
        const mDecorated = m > 0 && text.charCodeAt(memberStarts[m - 1].at + bodyIndent) === AT;
        while (line < inside.length && inside[line].at <= mStart) line++;
        const mBody = line < inside.length && inside[line].at < mEnd ? inside[line] : undefined;
        const mDefined = definedName(mText);
        const blankable = !mDecorated && mDefined.name !== undefined && mBody !== undefined;
        members.push({ start: mStart, end: mEnd, text: mText, ...mDefined, blankable, named: false, kept: true, bodyStart: mBody?.at, bodyIndent: mBody?.indent });
      }
      // The class stays (its methods left out as stubs): not one to leave out itself.
      unit.members = members;
      unit.blankable = false;
      // The class's own text, for its words: its header, up to its first member.
      unit.text = text.slice(start, memberStarts[0].at);
    }
  }
  return statements;
}

/** Where the string opened by the quote at `i` ends (after its closing quote); -1 if it does not. */
function stringEnd(text: string, i: number, quote: number): number {
  const n = text.length;
  const triple = text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote;
  let j = triple ? i + 3 : i + 1;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) {
      j += 2;
    } else if (c === quote) {
      if (!triple) return j + 1;
      if (text.charCodeAt(j + 1) === quote && text.charCodeAt(j + 2) === quote) return j + 3;
      j++;
    } else if (c === NEWLINE && !triple) {
      return -1;
    } else {
      j++;
    }
  }
  return -1;
}
