/**
 * The prefilter: most files of a large tree never touch logging handlers, processes, log
 * configs or pickle. Those are not parsed; a line scan takes what the process model needs from
 * them to carry reachability through: imports, the functions they define, and the names they
 * call from other modules. The whole file acts as one unit: reaching any of its functions
 * reaches everything it imports or calls.
 */
import { FileFacts, emptyFacts, functionScope, moduleScope, Span } from '../model/facts';

/**
 * Words without which a file cannot create a handler, start a process, load a log config,
 * unpickle, re-exec, or configure a server. A file containing one is parsed in full.
 */
const RELEVANT = /Handler|basicConfig|fork|Process|Pool|Executor|Parallel|delayed|spawn|pickle|exec[lv]|dictConfig|fileConfig|LOGGING|Queue|set_start_method|get_context|DJANGO_SETTINGS_MODULE|[Cc]elery|setup_logging|after_setup|workers|logconfig|accesslog|errorlog|preload|config\.listen|billiard|joblib|picologging|logfunnel/;

export function needsFullParse(text: string): boolean {
  return RELEVANT.test(text);
}

/** The shared code unit standing for all function bodies of a file read by the line scan. */
const BODY = '<functions>';

const LOG_CALL = /(?:\b\w*log\w*|\bget_?[Ll]ogger\([^)]*\))\s*\.\s*(?:debug|info|warning|warn|error|exception|critical|log)\s*\(/i;

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
  const lines = text.split('\n');
  const classStack: { indent: number; name: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const indent = line.length - line.trimStart().length;
    let m = line.match(/^\s*import\s+([\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)/);
    if (m) {
      for (const part of m[1].split(',')) {
        const [mod, alias] = part.trim().split(/\s+as\s+/);
        const bound = alias ?? mod.split('.')[0];
        aliases.set(bound, alias ? mod : bound);
        facts.imports.push({ fromModule: moduleName, module: mod, alias: bound, span: span(i, indent, line.length - indent), scope: top });
      }
      continue;
    }
    m = line.match(/^\s*from\s+(\.*[\w.]*)\s+import\s+(.*)$/);
    if (m) {
      let names = m[2];
      // A parenthesised list may continue over several lines.
      if (names.includes('(') && !names.includes(')')) {
        while (i + 1 < lines.length && !lines[i].includes(')')) names += ' ' + lines[++i];
      }
      const module = absolute(m[1]);
      for (const part of names.replace(/[()\\]/g, ' ').replace(/#.*$/, '').split(',')) {
        const [name, alias] = part.trim().split(/\s+as\s+/);
        if (!name) continue;
        if (name === '*') {
          facts.imports.push({ fromModule: moduleName, module, name: '*', alias: '*', span: span(i), scope: top });
          continue;
        }
        aliases.set(alias ?? name, `${module}.${name}`);
        facts.imports.push({ fromModule: moduleName, module, name, alias: alias ?? name, span: span(i, indent, line.length - indent), scope: top });
      }
      continue;
    }
    while (classStack.length && indent <= classStack[classStack.length - 1].indent && line.trim()) classStack.pop();
    m = line.match(/^(\s*)class\s+(\w+)/);
    if (m) {
      const qualname = [...classStack.map((c) => c.name), m[2]].join('.');
      facts.classes.push({ module: moduleName, qualname, bases: [], span: span(i, indent, line.length - indent) });
      classStack.push({ indent, name: m[2] });
      continue;
    }
    m = line.match(/^(\s*)(?:async\s+)?def\s+(\w+)/);
    if (m) {
      const qualname = [...classStack.filter((c) => c.indent < indent).map((c) => c.name), m[2]].join('.');
      const scope = functionScope(moduleName, qualname);
      facts.functions.push({ scope, module: moduleName, qualname, span: span(i, indent, line.length - indent), params: [] });
      // Reaching any function reaches what the functions of the file call (one shared body).
      facts.calls.push({ from: scope, callee: { fromModule: moduleName, name: `${moduleName}.${BODY}`, span: span(i, indent, m[2].length) } });
    }
  }
  const body = functionScope(moduleName, BODY);
  facts.functions.push({ scope: body, module: moduleName, qualname: BODY, span: span(0), params: [] });
  if (LOG_CALL.test(text)) {
    facts.logCalls.push({ scope: top, span: span(0) });
    facts.logCalls.push({ scope: body, span: span(0) });
  }
  // Names called from other modules: `imported(...)` and `alias.attr(...)`.
  const seen = new Set<string>();
  const callRe = /\b([A-Za-z_]\w*)(?:\s*\.\s*([A-Za-z_]\w*))?\s*\(/g;
  for (let i = 0; i < lines.length; i++) {
    callRe.lastIndex = 0;
    for (let m = callRe.exec(lines[i]); m; m = callRe.exec(lines[i])) {
      const target = aliases.get(m[1]);
      if (!target) continue;
      const name = m[2] ? `${target}.${m[2]}` : target;
      if (seen.has(name)) continue;
      seen.add(name);
      const literal = lines[i].slice(m.index + m[0].length).match(/^\s*(['"])([^'"]*)\1/);
      facts.calls.push({
        // Calls at the left margin run at import; indented ones belong to the functions.
        from: /^\S/.test(lines[i]) ? top : body,
        callee: { fromModule: moduleName, name, span: span(i, m.index, m[0].length - 1) },
        pathArg: literal ? { kind: 'literal', value: literal[2] } : undefined,
      });
    }
  }
  return facts;
}
