/**
 * LF101's question about one `pickle.loads(x)` / `pickle.load(f)`: do the bytes come from a
 * socket? The extractor proposes every unpickling call of a module that imports a networking
 * module (with UNPICKLE_MESSAGE); this file keeps those whose argument can be traced, inside the
 * file, back to bytes received from the network, and says where they were received.
 *
 * Without this, a module that imports `socket` and round-trips an object through
 * `pickle.loads(pickle.dumps(x))` was reported as remote code execution: 23 of the Python
 * standard library's 27 LF101 findings were round trips like that in its tests (4 are left: 3
 * receivers, IDLE's RPC among them, and one logging.config.listen()).
 *
 * The trace follows a name to every assignment of it in its function (any order: loops
 * re-assign), a parameter to the arguments of every call of its function in the file (the
 * cookbook's `obj = self.unPickle(chunk)` ... `def unPickle(self, data): return
 * pickle.loads(data)`), `self.<attr>` to its assignments in the class's methods (a receive
 * buffer), and a call of one of the file's functions to what it returns. What `dumps(...)`
 * returns was pickled here, whatever went in: the trace stops there.
 *
 * It runs on the whole file after extraction, because the per-statement records of an edited
 * file replay each top-level statement's facts on its own, and a trace crosses statements. So
 * it runs after every edit of such a file, and stays cheap: a file without a word that receives
 * bytes confirms nothing without looking at the tree, and the file-wide indexes (calls and
 * functions by name) are built only when a trace leaves its function.
 */
import type { Node } from './parser';
import type { FileFacts, Span } from '../model/facts';
import { spanOf } from '../configs/python/syntax';

/** The message of the extractor's unpickling proposals, which this file confirms or drops. */
export const UNPICKLE_MESSAGE = 'This log receiver unpickles bytes that arrive on a socket: anyone who can connect can run any code in this process.';

/** Socket methods that hand over received bytes. */
const RECEIVE_METHODS = new Set(['recv', 'recvfrom', 'recv_into', 'recvmsg', 'recvfrom_into']);
/** Stream methods that return received bytes when called on a socket's stream. */
const READ_METHODS = new Set(['read', 'read1', 'readexactly', 'readuntil', 'readline', 'readinto']);
/** Names of the objects those stream methods are called on in servers (`self.rfile`, `reader`). */
const STREAM_NAME = /(^|\.)(rfile|reader|stream|sock\w*|conn\w*|connection|request|client\w*)$/i;
/**
 * socketserver's datagram request (`self.request[0]`, or `data, sock = self.request` unpacked),
 * a request's packet (`request.packet`) and a socket's file (`self.rfile`, `conn.makefile('rb')`).
 */
const RECEIVED_TEXT = /\brequest\s*\[\s*0\s*\]|\brequest\.packet\b|(^|\.)rfile\b|\.makefile\s*\(|^(self\.)?request$/;
/** asyncio protocol callbacks: their data parameter is what arrived. */
const RECEIVE_CALLBACKS = new Set(['data_received', 'datagram_received']);
/** Some way of receiving bytes appears in the text: what every confirmed trace ends at. */
const ANY_RECEIVING_WORD = /\.\s*recv|\.\s*read|\brequest\b|\brfile\b|\bmakefile\b|\bdata(gram)?_received\b/;
/** Calls whose result was pickled here: not traced into. */
const PICKLED_HERE = new Set(['dumps', 'dump']);

const MAX_DEPTH = 10;

const BINDING_TYPES = ['assignment', 'augmented_assignment', 'for_statement', 'for_in_clause', 'named_expression', 'as_pattern'];
const SCOPE_TYPES = new Set(['function_definition', 'class_definition', 'lambda']);

/**
 * Drops the extractor's unpickling proposals whose bytes do not trace back to a socket, and adds
 * where they were received to the others. `text` is the tree's source.
 */
export function confirmUnpickleHazards(root: Node, text: string, facts: FileFacts): void {
  if (!facts.hazards.some((h) => h.message === UNPICKLE_MESSAGE)) return;
  const receives = ANY_RECEIVING_WORD.test(text);
  const trace = receives ? new Trace(root) : undefined;
  facts.hazards = facts.hazards.filter((hazard) => {
    if (hazard.message !== UNPICKLE_MESSAGE) return true;
    const call = trace && callAt(root, hazard.span);
    const source = call && trace!.receivedAt(call);
    if (!source) return false;
    hazard.related = [
      ...(hazard.related ?? []),
      { span: spanOf(source, facts.file), message: 'the bytes are received here' },
    ];
    return true;
  });
}

function callAt(root: Node, span: Span): Node | undefined {
  let node: Node | null = root.descendantForPosition(
    { row: span.start.line, column: span.start.character },
    { row: span.end.line, column: span.end.character },
  );
  for (; node; node = node.parent) {
    if (node.type === 'call' && node.startPosition.row === span.start.line && node.startPosition.column === span.start.character &&
      node.endPosition.row === span.end.line && node.endPosition.column === span.end.character) return node;
  }
  return undefined;
}

/** The function around a node, or undefined at module level. */
function enclosingFunction(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'function_definition') return n;
  return undefined;
}

/** The nearest function, class or lambda around a node (what a binding there belongs to). */
function enclosingScope(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (SCOPE_TYPES.has(n.type)) return n;
  return undefined;
}

function enclosingClass(fn: Node): Node | undefined {
  for (let n = fn.parent; n; n = n.parent) {
    if (n.type === 'class_definition') return n;
    if (n.type === 'function_definition') return undefined;
  }
  return undefined;
}

/** The simple name a call calls: `f` of `f(...)`, `self.f(...)` and `x.f(...)`. */
function calleeName(call: Node): string | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type === 'identifier') return fn.text;
  if (fn?.type === 'attribute') return fn.childForFieldName('attribute')?.text;
  return undefined;
}

class Trace {
  /** What was followed already: `chunk = chunk + sock.recv(n)` names itself. */
  private readonly seen = new Set<string>();
  /** Per scope (node id, 0 for the module): the assignment-like nodes directly in it. */
  private readonly bindings = new Map<number, Node[]>();
  private fileIndex: { calls: Map<string, Node[]>; functions: Map<string, Node[]> } | undefined;

  constructor(private readonly root: Node) {}

  receivedAt(unpickle: Node): Node | undefined {
    const args = unpickle.childForFieldName('arguments');
    const first = args?.namedChildren.find((n) => n && n.type !== 'keyword_argument' && n.type !== 'comment');
    return first ? this.source(first, enclosingFunction(unpickle), 0) : undefined;
  }

  /** A node inside `expr` that receives bytes, following names; `scope` is expr's function. */
  private source(expr: Node, scope: Node | undefined, depth: number): Node | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const { receiving, names, calls } = readExpression(expr);
    if (receiving) return receiving;
    for (const name of names) {
      const found = name.startsWith('self.') ? this.sourceOfAttribute(name, scope, depth) : this.sourceOfName(name, scope, depth);
      if (found) return found;
    }
    for (const call of calls) {
      const found = this.sourceOfResult(call, depth);
      if (found) return found;
    }
    return undefined;
  }

  private sourceOfName(name: string, scope: Node | undefined, depth: number): Node | undefined {
    if (!this.first(`${scope?.id ?? 0}:${name}`)) return undefined;
    for (const value of this.assignedValues(scope, name)) {
      const found = this.source(value, scope, depth + 1);
      if (found) return found;
    }
    return scope ? this.sourceOfParameter(scope, name, depth) : undefined;
  }

  /** A parameter: what the file's calls of its function pass in its place. */
  private sourceOfParameter(fn: Node, name: string, depth: number): Node | undefined {
    const params = parameterNames(fn);
    let index = params.indexOf(name);
    if (index === -1) return undefined;
    const fnName = fn.childForFieldName('name')?.text;
    if (!fnName) return undefined;
    if (enclosingClass(fn) && (params[0] === 'self' || params[0] === 'cls')) {
      if (index === 0) return undefined;
      index--;
      if (RECEIVE_CALLBACKS.has(fnName) && index === 0) return fn.childForFieldName('name') ?? undefined;
    }
    for (const call of this.index().calls.get(fnName) ?? []) {
      const arg = argumentFor(call, index, name);
      if (!arg) continue;
      const found = this.source(arg, enclosingFunction(call), depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** `self.buffer`: what the methods of the class assign to it (`self.buffer += chunk`). */
  private sourceOfAttribute(attribute: string, scope: Node | undefined, depth: number): Node | undefined {
    const cls = scope && enclosingClass(scope);
    if (!cls || !this.first(`${cls.id}:${attribute}`)) return undefined;
    for (const assignment of cls.descendantsOfType(['assignment', 'augmented_assignment'])) {
      const left = assignment?.childForFieldName('left');
      const right = assignment?.childForFieldName('right');
      if (!assignment || !left || !right || !bindsAttribute(left, attribute)) continue;
      const found = this.source(right, enclosingFunction(assignment), depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** A call of a function of this file (`self.read_packet()`, `next_frame(sock)`): what it returns. */
  private sourceOfResult(call: Node, depth: number): Node | undefined {
    const fn = call.childForFieldName('function');
    const name = fn?.type === 'identifier' ? fn.text
      : fn?.type === 'attribute' && fn.childForFieldName('object')?.text === 'self' ? fn.childForFieldName('attribute')?.text
      : undefined;
    if (!name) return undefined;
    for (const definition of this.index().functions.get(name) ?? []) {
      if (!this.first(`${definition.id}:return`)) continue;
      for (const value of returnedValues(definition)) {
        const found = this.source(value, definition, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** The values assigned to `name` directly in a function's body (or the module). */
  private assignedValues(scope: Node | undefined, name: string): Node[] {
    const values: Node[] = [];
    for (const node of this.bindingsIn(scope)) {
      if (node.type === 'named_expression') {
        const value = node.childForFieldName('value');
        if (value && node.childForFieldName('name')?.text === name) values.push(value);
      } else if (node.type === 'as_pattern') {
        // `with conn.makefile('rb') as f`: the alias is the value's.
        const alias = node.childForFieldName('alias');
        const value = node.namedChildren[0];
        if (alias && value && binds(alias, name)) values.push(value);
      } else {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left && right && binds(left, name)) values.push(right);
      }
    }
    return values;
  }

  private bindingsIn(scope: Node | undefined): Node[] {
    const key = scope?.id ?? 0;
    let nodes = this.bindings.get(key);
    if (!nodes) {
      const within = scope ?? this.root;
      nodes = within.descendantsOfType(BINDING_TYPES)
        .filter((n): n is Node => !!n && enclosingScope(n)?.id === scope?.id);
      this.bindings.set(key, nodes);
    }
    return nodes;
  }

  /** Calls and function definitions of the whole file by simple name, built on first need. */
  private index(): { calls: Map<string, Node[]>; functions: Map<string, Node[]> } {
    if (this.fileIndex) return this.fileIndex;
    const calls = new Map<string, Node[]>();
    const functions = new Map<string, Node[]>();
    const add = (map: Map<string, Node[]>, name: string | undefined, node: Node) => {
      if (name === undefined) return;
      const list = map.get(name);
      if (list) list.push(node);
      else map.set(name, [node]);
    };
    for (const node of this.root.descendantsOfType(['call', 'function_definition'])) {
      if (!node) continue;
      if (node.type === 'call') add(calls, calleeName(node), node);
      else add(functions, node.childForFieldName('name')?.text, node);
    }
    return (this.fileIndex = { calls, functions });
  }

  /** Whether this key is followed for the first time. */
  private first(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
}

/**
 * What an expression tells the trace, in one walk: a part of it that receives bytes, the names
 * it reads (`a` of `a.b[c]` and `c`, `self.buffer`; not attribute names or keywords) and the
 * calls in it. The inside of a `dumps(...)` call is skipped: its result was pickled here.
 */
function readExpression(expr: Node): { receiving?: Node; names: string[]; calls: Node[] } {
  const names = new Set<string>();
  const calls: Node[] = [];
  const visit = (node: Node): Node | undefined => {
    if (node.type === 'call') {
      const fn = node.childForFieldName('function');
      const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text ?? '' : undefined;
      if (PICKLED_HERE.has(method ?? fn?.text ?? '')) return undefined;
      if (method !== undefined) {
        if (RECEIVE_METHODS.has(method)) return node;
        const owner = fn!.childForFieldName('object');
        if (READ_METHODS.has(method) && owner && STREAM_NAME.test(owner.text)) return node;
      }
      calls.push(node);
    } else if (node.type === 'identifier') {
      const parent = node.parent;
      if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === node.id) return undefined;
      if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === node.id) return undefined;
      if (node.text === 'self') {
        if (parent?.type === 'attribute' && parent.childForFieldName('object')?.id === node.id) names.add(parent.text);
      } else if (node.text !== 'cls') {
        names.add(node.text);
      }
      return undefined;
    } else if (SCOPE_TYPES.has(node.type)) {
      return undefined;
    }
    for (const child of node.namedChildren) {
      const found = child && visit(child);
      if (found) return found;
    }
    return undefined;
  };
  if (RECEIVED_TEXT.test(expr.text)) return { receiving: expr, names: [], calls: [] };
  const receiving = visit(expr);
  return { receiving, names: [...names], calls };
}

function bindsAttribute(target: Node, attribute: string): boolean {
  if (target.type === 'attribute') return target.text === attribute;
  if (/^(pattern_list|tuple_pattern|list_pattern|expression_list|tuple|list)$/.test(target.type)) {
    return target.namedChildren.some((child) => !!child && bindsAttribute(child, attribute));
  }
  return false;
}

/** Whether an assignment target binds `name` (`name`, `name, addr`, `(name, _)`, `[name]`). */
function binds(target: Node, name: string): boolean {
  if (target.type === 'identifier') return target.text === name;
  if (/^(pattern_list|tuple_pattern|list_pattern|expression_list|tuple|list|as_pattern_target)$/.test(target.type)) {
    return target.namedChildren.some((child) => !!child && binds(child, name));
  }
  return false;
}

/** What a function returns (its own `return` statements, not those of functions inside it). */
function returnedValues(fn: Node): Node[] {
  const values: Node[] = [];
  for (const statement of fn.descendantsOfType('return_statement')) {
    if (!statement || enclosingScope(statement)?.id !== fn.id) continue;
    const value = statement.namedChildren.find((c) => c && c.type !== 'comment');
    if (value) values.push(value);
  }
  return values;
}

function parameterNames(fn: Node): string[] {
  const names: string[] = [];
  for (const param of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!param) continue;
    if (param.type === 'identifier') names.push(param.text);
    else if (/^(typed_parameter|default_parameter|typed_default_parameter)$/.test(param.type)) {
      const id = param.childForFieldName('name') ?? param.namedChildren.find((c) => c?.type === 'identifier');
      if (id) names.push(id.text);
    }
  }
  return names;
}

/** The argument a call passes for the parameter at `index` (or named `name`). */
function argumentFor(call: Node, index: number, name: string): Node | undefined {
  const args = call.childForFieldName('arguments');
  if (!args) return undefined;
  let position = 0;
  for (const arg of args.namedChildren) {
    if (!arg || arg.type === 'comment') continue;
    if (arg.type === 'keyword_argument') {
      if (arg.childForFieldName('name')?.text === name) return arg.childForFieldName('value') ?? undefined;
      continue;
    }
    if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') return undefined;
    if (position++ === index) return arg;
  }
  return undefined;
}
