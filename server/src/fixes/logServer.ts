/**
 * Log-server strategy: the workers send records with `logfunnel.BufferingSocketHandler` to
 * `python -m logfunnel.server`, which owns the file. The server's config is generated from the
 * original handler's arguments (`logfunnel-server.json` beside the code), so the file, its
 * rotation and its format stay what they were; only the writer changes (unsafe: the server
 * must be started, see the note).
 */
import * as path from 'path';
import type { Node } from 'web-tree-sitter';
import type { HandlerSite } from '../model/facts';
import { stdlibClassName } from './dropIns';
import { addImportEdit, enclosing, nodeStartingAt, replaceNode } from './pythonText';
import { LineIndex } from '../model/lineIndex';
import type { FixContext, FixEdit, FixOffer } from './types';

export const SERVER_CONFIG = 'logfunnel-server.json';
export const SERVER_PORT = 9020;

/** Constructor parameters in order, as the stdlib declares them. */
const SIGNATURES: Record<string, string[]> = {
  FileHandler: ['filename', 'mode', 'encoding', 'delay', 'errors'],
  WatchedFileHandler: ['filename', 'mode', 'encoding', 'delay', 'errors'],
  RotatingFileHandler: ['filename', 'mode', 'maxBytes', 'backupCount', 'encoding', 'delay', 'errors'],
  TimedRotatingFileHandler: ['filename', 'when', 'interval', 'backupCount', 'encoding', 'delay', 'utc', 'atTime', 'errors'],
};

export function logServerFix(handler: HandlerSite, ctx: FixContext, rule: string): FixOffer[] {
  const stdlib = stdlibClassName(handler.className);
  if (handler.origin !== 'code' || !stdlib) return [];
  const file = handler.span.file;
  const configFile = path.join(path.dirname(file), SERVER_CONFIG);
  if (ctx.readText(configFile) !== undefined) return []; // one generated server config per folder
  const text = ctx.readText(file);
  if (text === undefined) return [];
  const tree = ctx.parser.parse(text);
  if (!tree) return [];
  const index = new LineIndex(file, text);
  try {
    const call = nodeStartingAt(tree, index.offsetAt(handler.span.start), 'call');
    if (!call) return [];
    const settings = literalArguments(call, SIGNATURES[stdlib]);
    if (!settings || typeof settings.filename !== 'string') return [];
    const format = formatOf(call);
    const config = {
      version: 1,
      disable_existing_loggers: false,
      formatters: { original: { format: format ?? '%(message)s' } },
      handlers: { file: { class: `logging.${stdlib === 'FileHandler' ? '' : 'handlers.'}${stdlib}`, formatter: 'original', ...settings } },
      root: { level: 'DEBUG', handlers: ['file'] },
    };
    // BufferingSocketHandler, not the stdlib SocketHandler: it keeps records while the server is
    // not (yet) reachable and resends what the server has not acknowledged, where SocketHandler
    // drops them silently (measured: 26 of 301 records lost by spawned children).
    const edits: FixEdit[] = [replaceNode(file, index, call, `logfunnel.BufferingSocketHandler('127.0.0.1', ${SERVER_PORT})`)];
    const imp = addImportEdit(file, tree, index, 'logfunnel');
    if (imp) edits.push(imp);
    edits.push({ file: configFile, create: true, text: JSON.stringify(config, null, 2) + '\n' });
    const rel = path.relative(ctx.rootOf(file), configFile) || SERVER_CONFIG;
    return [{
      title: `logfunnel (${rule}): Send records to a log server that owns ${path.basename(settings.filename)}`,
      strategy: 'server',
      safety: 'unsafe',
      edits,
      note: `Start the server before the program, from the directory the program runs in: `
        + `\`python -m logfunnel.server --config ${rel}\` (a Procfile line \`logs: python -m logfunnel.server --config ${rel}\`, `
        + `a systemd unit, or gunicorn's on_starting hook). BufferingSocketHandler keeps records (up to 10,000) while the `
        + `server is down and resends them when it is back.${format ? '' : ' The format moved to the server config; adjust it there.'}`,
    }];
  } finally {
    tree.delete();
  }
}

/** The call's arguments as JSON values by parameter name; undefined if one is not a literal. */
function literalArguments(call: Node, params: string[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  const args = call.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment') ?? [];
  let position = 0;
  for (const arg of args) {
    let name: string;
    let valueNode: Node;
    if (arg.type === 'keyword_argument') {
      name = arg.childForFieldName('name')!.text;
      valueNode = arg.childForFieldName('value')!;
    } else {
      name = params[position++];
      valueNode = arg;
    }
    if (!name || !params.includes(name)) return undefined;
    const value = literal(valueNode);
    if (value === undefined) return undefined;
    out[name] = value;
  }
  return out;
}

function literal(node: Node): unknown {
  const t = node.text;
  if (node.type === 'string' && !/^[rbfuRBFU]*f/i.test(t) && !node.descendantsOfType('interpolation').length) {
    const m = /^[rRuU]?('''|"""|'|")([\s\S]*)\1$/.exec(t);
    return m ? m[2].replace(/\\(.)/g, '$1') : undefined;
  }
  if (node.type === 'true') return true;
  if (node.type === 'false') return false;
  if (node.type === 'none') return null;
  if (node.type === 'integer') return Number(t.replace(/_/g, ''));
  if (node.type === 'float') return Number(t.replace(/_/g, ''));
  if (node.type === 'binary_operator') {
    const l = literal(node.childForFieldName('left')!);
    const r = literal(node.childForFieldName('right')!);
    const op = node.childForFieldName('operator')?.text;
    if (typeof l !== 'number' || typeof r !== 'number') return undefined;
    if (op === '<<') return l * 2 ** r;
    if (op === '*') return l * r;
    if (op === '+') return l + r;
    return undefined;
  }
  return undefined;
}

/** `<var>.setFormatter(logging.Formatter('<literal>'))` for the variable the handler is assigned to. */
function formatOf(call: Node): string | undefined {
  const assign = call.parent?.type === 'assignment' ? call.parent : undefined;
  const variable = assign?.childForFieldName('left')?.text;
  const scope = enclosing(call, ['function_definition', 'module']);
  if (!variable || !scope) return undefined;
  const escaped = variable.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${escaped}\\.setFormatter\\(\\s*(?:logging\\.)?Formatter\\(\\s*(['"])(.*?)\\1`).exec(scope.text);
  return m ? m[2] : undefined;
}
