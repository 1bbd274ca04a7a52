/**
 * The prefilter: most files of a large tree never touch logging handlers, processes, log
 * configs or pickle. Those are not parsed; a line scan takes what the process model needs from
 * them to carry reachability through: imports, the functions they define, and the names they
 * call from other modules. The whole file acts as one unit: reaching any of its functions
 * reaches everything it imports or calls.
 */
import { FileFacts, emptyFacts, functionScope, moduleScope, Span } from '../model/facts';

/**
 * Names without which a file cannot create a file handler, start processes, load a log config,
 * configure a server, unpickle from a socket or re-exec itself. Specific API names, not common
 * words, so that most files of a large tree (Django: 90 %) are only line-scanned.
 */
const RELEVANT_WORDS = [
  // handlers and logging configuration
  'FileHandler', 'QueueHandler', 'QueueListener', 'SocketHandler', 'DatagramHandler', 'SysLogHandler',
  'basicConfig', 'dictConfig', 'fileConfig', 'LOGGING', 'config.listen',
  // processes
  'multiprocessing', 'billiard', 'concurrent.futures', 'ProcessPoolExecutor', 'fork', 'joblib',
  'set_start_method', 'get_context',
  // servers and workers
  'DJANGO_SETTINGS_MODULE', 'logconfig', 'after_setup_logger', 'after_setup_task_logger', 'setup_logging', 'Celery(',
  'worker_concurrency', 'accesslog', 'errorlog', 'preload_app', 'workers', 'post_fork',
  // re-exec, third-party handlers, the runtime library
  'os.exec', 'execv', 'execl', 'picologging', 'concurrent_log_handler', 'cloghandler', 'logfunnel',
];
/** Words that are also parts of common words: confirmed by a stricter pattern. */
const CONFIRM: Record<string, RegExp> = {
  fork: /\bfork(pty)?\b/,
  workers: /^\s*workers\s*=/m,
};

/** Unpickling only matters in a file that also talks to sockets. */
const PICKLE = /\bpickle\b|cPickle/;
const SOCKETS = /\bsocket|\brecv\(|StreamRequestHandler|DatagramRequestHandler/;

export function needsFullParse(text: string): boolean {
  // Plain substring search is several times faster than one regex with many alternatives.
  for (const word of RELEVANT_WORDS) {
    if (text.includes(word) && (!CONFIRM[word] || CONFIRM[word].test(text))) return true;
  }
  return PICKLE.test(text) && SOCKETS.test(text);
}

/** The shared code unit standing for all function bodies of a file read by the line scan. */
const BODY = '<functions>';

/** `.info(` and friends, preceded by something named like a logger. */
const LOG_METHOD_CALL = /\.\s*(?:debug|info|warning|warn|error|exception|critical|log)\s*\(/g;
const LOGGER_BEFORE = /(?:log\w*|get_?[Ll]ogger\([^)]*\))\s*$/i;

function hasLogCall(text: string): boolean {
  LOG_METHOD_CALL.lastIndex = 0;
  for (let m = LOG_METHOD_CALL.exec(text); m; m = LOG_METHOD_CALL.exec(text)) {
    if (LOGGER_BEFORE.test(text.slice(Math.max(0, m.index - 60), m.index))) return true;
  }
  return false;
}

export function extractLightFacts(text: string, file: string, moduleName: string, isPackageInit: boolean): FileFacts {
  const facts = emptyFacts(file, 'python', moduleName);
  const top = moduleScope(moduleName);
  const span = (line: number, col = 0, len = 0): Span => ({ file, start: { line, character: col }, end: { line, character: col + len } });
  const aliases = new Map<string, string>();
  const absolute = (relative: string) => {
    const dots = relative.match(/^\.*/)![0].length;
    if (dots === 0) return relative;
    const parts = moduleName.split('.');
    const keep = parts.length - (isPackageInit ? dots - 1 : dots);
    return [parts.slice(0, Math.max(0, keep)).join('.'), relative.slice(dots)].filter(Boolean).join('.');
  };
  // Only lines that start with a keyword matter; one pass over the text finds them.
  const lineOf = lineLocator(text);
  const classStack: { indent: number; name: string }[] = [];
  const statement = /^([ \t]*)(import|from|class|def|async)\b(.*)$/gm;
  for (let m = statement.exec(text); m; m = statement.exec(text)) {
    const indent = m[1].length;
    const i = lineOf(m.index);
    const line = m[0];
    if (m[2] === 'import') {
      const im = line.match(/^\s*import\s+([\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)/);
      for (const part of im ? im[1].split(',') : []) {
        const [mod, alias] = part.trim().split(/\s+as\s+/);
        const bound = alias ?? mod.split('.')[0];
        aliases.set(bound, alias ? mod : bound);
        facts.imports.push({ fromModule: moduleName, module: mod, alias: bound, span: span(i, indent, line.length - indent), scope: top });
      }
      continue;
    }
    if (m[2] === 'from') {
      const fm = line.match(/^\s*from\s+(\.*[\w.]*)\s+import\s+(.*)$/);
      if (!fm) continue;
      let names = fm[2];
      // A parenthesised list may continue over several lines.
      if (names.includes('(') && !names.includes(')')) {
        const close = text.indexOf(')', m.index + m[0].length);
        names += ' ' + text.slice(m.index + m[0].length, close === -1 ? undefined : close);
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
      continue;
    }
    // A def or class at this indent is outside every class indented as much or more.
    while (classStack.length && indent <= classStack[classStack.length - 1].indent) classStack.pop();
    const cm = m[2] === 'class' ? line.match(/^\s*class\s+(\w+)/) : undefined;
    if (cm) {
      const qualname = [...classStack.map((c) => c.name), cm[1]].join('.');
      facts.classes.push({ module: moduleName, qualname, bases: [], span: span(i, indent, line.length - indent) });
      classStack.push({ indent, name: cm[1] });
      continue;
    }
    const dm = line.match(/^\s*(?:async\s+)?def\s+(\w+)/);
    if (dm) {
      const qualname = [...classStack.map((c) => c.name), dm[1]].join('.');
      const scope = functionScope(moduleName, qualname);
      facts.functions.push({ scope, module: moduleName, qualname, span: span(i, indent, line.length - indent), params: [] });
      // Reaching any function reaches what the functions of the file call (one shared body).
      facts.calls.push({ from: scope, callee: { fromModule: moduleName, name: `${moduleName}.${BODY}`, span: span(i, indent, dm[1].length) } });
    }
  }
  const body = functionScope(moduleName, BODY);
  facts.functions.push({ scope: body, module: moduleName, qualname: BODY, span: span(0), params: [] });
  if (hasLogCall(text)) {
    facts.logCalls.push({ scope: top, span: span(0) });
    facts.logCalls.push({ scope: body, span: span(0) });
  }
  // Names called from other modules: `imported(...)` and `alias.attr(...)`, one pass for all.
  const names = [...aliases.keys()].filter((n) => /^\w+$/.test(n));
  if (names.length === 0) return facts;
  const seen = new Set<string>();
  const callRe = new RegExp(`(?<![\\w.])(${names.join('|')})(?:\\s*\\.\\s*([A-Za-z_]\\w*))?\\s*\\(`, 'g');
  for (let m = callRe.exec(text); m; m = callRe.exec(text)) {
    const target = aliases.get(m[1])!;
    const name = m[2] ? `${target}.${m[2]}` : target;
    if (seen.has(name)) continue;
    seen.add(name);
    const i = lineOf(m.index);
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    const literal = text.slice(m.index + m[0].length, m.index + m[0].length + 300).match(/^\s*(['"])([^'"\n]*)\1/);
    facts.calls.push({
      // Calls at the left margin run at import; indented ones belong to the functions.
      from: m.index === lineStart ? top : body,
      callee: { fromModule: moduleName, name, span: span(i, m.index - lineStart, m[0].length - 1) },
      pathArg: literal ? { kind: 'literal', value: literal[2] } : undefined,
    });
  }
  return facts;
}

/** Line numbers for offsets visited in increasing order (restarts when asked for an earlier one). */
function lineLocator(text: string): (offset: number) => number {
  let line = 0;
  let at = 0;
  return (offset) => {
    if (offset < at) {
      line = 0;
      at = 0;
    }
    for (let i = text.indexOf('\n', at); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      at = i + 1;
    }
    return line;
  };
}
