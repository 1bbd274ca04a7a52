/**
 * LF101's question about one `pickle.loads(x)` / `pickle.load(f)`: do the bytes come from a
 * socket? The extractor proposes every unpickling call of a module that imports a networking
 * module; this file keeps those whose argument can be traced, inside the file, back to bytes
 * received from the network, and says where they were received.
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
 * buffer), and a call of one of the file's functions to what it returns. It runs on the whole file after extraction, because the per-statement
 * records of an edited file replay each top-level statement's facts on its own, and a trace
 * crosses statements.
 */
import type { Node } from './parser';
import type { FileFacts, Span } from '../model/facts';

/** Socket methods that hand over received bytes. */
const RECEIVE_METHODS = new Set(['recv', 'recvfrom', 'recv_into', 'recvmsg', 'recvfrom_into']);
/** Stream methods that return received bytes when called on a socket's stream. */
const READ_METHODS = new Set(['read', 'read1', 'readexactly', 'readuntil', 'readline', 'readinto']);
/** Names of the objects those stream methods are called on in servers (`self.rfile`, `reader`). */
const STREAM_NAME = /(^|\.)(rfile|reader|stream|sock\w*|conn\w*|connection|request|client\w*)$/i;
/**
 * socketserver's datagram request (`self.request[0]`), a request's packet (`request.packet`)
 * and a socket's file (`self.rfile`, `conn.makefile('rb')`).
 */
const RECEIVED_TEXT = /\brequest\s*\[\s*0\s*\]|\brequest\.packet\b|(^|\.)rfile\b|\.makefile\s*\(/;
/** asyncio protocol callbacks: their data parameter is what arrived. */
const RECEIVE_CALLBACKS = new Set(['data_received', 'datagram_received']);

const MAX_DEPTH = 10;

/** Where the unpickled bytes were received, when the trace finds it. */
function receivedAt(root: Node, unpickle: Node): Node | undefined {
  const args = unpickle.childForFieldName('arguments');
  const first = args?.namedChildren.find((n) => n && n.type !== 'keyword_argument' && n.type !== 'comment');
  if (!first) return undefined;
  return new Trace(root).source(first, enclosingFunction(unpickle), 0);
}

/**
 * Drops the extractor's unpickling LF101 proposals (calls of `pickle.load(s)`) whose bytes do
 * not trace back to a socket, and adds where they were received to the others.
 */
export function confirmUnpickleHazards(root: Node, facts: FileFacts): void {
  if (!facts.hazards.some((h) => h.rule === 'LF101')) return;
  facts.hazards = facts.hazards.filter((hazard) => {
    if (hazard.rule !== 'LF101') return true;
    const call = callAt(root, hazard.span);
    if (!call || !isUnpickle(call)) return true; // logging.config.listen(): no bytes to trace
    const source = receivedAt(root, call);
    if (!source) return false;
    hazard.related = [
      ...(hazard.related ?? []),
      { span: spanOf(source, facts.file), message: 'the bytes are received here' },
    ];
    return true;
  });
}

function isUnpickle(call: Node): boolean {
  const fn = call.childForFieldName('function');
  const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
  return name !== undefined && /^(loads?|Unpickler)$/.test(name);
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

function spanOf(node: Node, file: string): Span {
  return {
    file,
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

/** The function around a node, or undefined at module level. */
function enclosingFunction(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'function_definition') return n;
  return undefined;
}

class Trace {
  /** (function, name) pairs already followed: `chunk = chunk + sock.recv(n)` names itself. */
  private readonly seen = new Set<string>();

  constructor(private readonly root: Node) {}

  /** A node inside `expr` that receives bytes, following names; `scope` is expr's function. */
  source(expr: Node, scope: Node | undefined, depth: number): Node | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const direct = receivingNode(expr);
    if (direct) return direct;
    for (const name of rootNames(expr)) {
      const found = name.startsWith('self.') ? this.sourceOfAttribute(name, scope, depth) : this.sourceOfName(name, scope, depth);
      if (found) return found;
    }
    for (const call of withDescendants(expr, 'call')) {
      const found = this.sourceOfResult(call, depth);
      if (found) return found;
    }
    return undefined;
  }

  /** `self.buffer`: what the methods of the class assign to it (`self.buffer += chunk`). */
  private sourceOfAttribute(attribute: string, scope: Node | undefined, depth: number): Node | undefined {
    const cls = scope && enclosingClass(scope);
    if (!cls || !this.first(`${cls.id}:${attribute}`)) return undefined;
    for (const { value, fn } of assignedAttributeValues(cls, attribute)) {
      const found = this.source(value, fn, depth + 1);
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
    for (const definition of withDescendants(this.root, 'function_definition')) {
      if (definition.childForFieldName('name')?.text !== name || !this.first(`${definition.id}:return`)) continue;
      for (const value of returnedValues(definition)) {
        const found = this.source(value, definition, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** Whether this key is followed for the first time. */
  private first(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  private sourceOfName(name: string, scope: Node | undefined, depth: number): Node | undefined {
    if (!this.first(`${scope?.id ?? 'module'}:${name}`)) return undefined;
    for (const value of assignedValues(scope ?? this.root, name)) {
      const found = this.source(value, scope, depth + 1);
      if (found) return found;
    }
    if (scope) return this.sourceOfParameter(scope, name, depth);
    return undefined;
  }

  /** A parameter: what the file's calls of its function pass in its place. */
  private sourceOfParameter(fn: Node, name: string, depth: number): Node | undefined {
    const params = parameterNames(fn);
    let index = params.indexOf(name);
    if (index === -1) return undefined;
    const fnName = fn.childForFieldName('name')?.text;
    if (!fnName) return undefined;
    const isMethod = fn.parent?.parent?.type === 'class_definition' ||
      (fn.parent?.type === 'decorated_definition' && fn.parent.parent?.parent?.type === 'class_definition');
    if (isMethod && (params[0] === 'self' || params[0] === 'cls')) {
      if (index === 0) return undefined;
      index--;
      if (RECEIVE_CALLBACKS.has(fnName) && index === 0) return fn.childForFieldName('name') ?? undefined;
    }
    for (const call of callsOf(this.root, fnName)) {
      const arg = argumentFor(call, index, name);
      if (!arg) continue;
      const found = this.source(arg, enclosingFunction(call), depth + 1);
      if (found) return found;
    }
    return undefined;
  }
}

/** The call in `expr` (itself included) that receives bytes from a socket, if any. */
function receivingNode(expr: Node): Node | undefined {
  if (RECEIVED_TEXT.test(expr.text)) return expr;
  for (const call of withDescendants(expr, 'call')) {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'attribute') continue;
    const method = fn.childForFieldName('attribute')?.text ?? '';
    if (RECEIVE_METHODS.has(method)) return call;
    const owner = fn.childForFieldName('object');
    if (READ_METHODS.has(method) && owner && STREAM_NAME.test(owner.text)) return call;
  }
  return undefined;
}

/**
 * Names an expression reads (`a` of `a.b[c]` and `c`), not attribute names or keywords, and the
 * instance attributes it reads (`self.buffer`).
 */
function rootNames(expr: Node): string[] {
  const names = new Set<string>();
  for (const id of withDescendants(expr, 'identifier')) {
    const parent = id.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === id.id) continue;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === id.id) continue;
    if (id.text === 'self') {
      if (parent?.type === 'attribute' && parent.childForFieldName('object')?.id === id.id) names.add(parent.text);
      continue;
    }
    if (id.text === 'cls') continue;
    names.add(id.text);
  }
  return [...names];
}

/** The values assigned to `name` in a function's body (or the module), nested scopes left out. */
function assignedValues(scope: Node, name: string): Node[] {
  const values: Node[] = [];
  const visit = (node: Node) => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'function_definition' || child.type === 'class_definition' || child.type === 'lambda') continue;
      switch (child.type) {
        case 'assignment':
        case 'augmented_assignment':
        case 'for_statement':
        case 'for_in_clause': {
          const left = child.childForFieldName('left');
          const right = child.childForFieldName('right');
          if (left && right && binds(left, name)) values.push(right);
          break;
        }
        case 'named_expression': {
          const value = child.childForFieldName('value');
          if (child.childForFieldName('name')?.text === name && value) values.push(value);
          break;
        }
        case 'as_pattern': {
          // `with conn.makefile('rb') as f`: the alias is the value's.
          const alias = child.childForFieldName('alias');
          const value = child.namedChildren[0];
          if (alias && value && binds(alias, name)) values.push(value);
          break;
        }
      }
      visit(child);
    }
  };
  const body = scope.type === 'function_definition' ? scope.childForFieldName('body') : scope;
  if (body) visit(body);
  return values;
}

function enclosingClass(fn: Node): Node | undefined {
  for (let n = fn.parent; n; n = n.parent) {
    if (n.type === 'class_definition') return n;
    if (n.type === 'function_definition') return undefined;
  }
  return undefined;
}

/** Assignments to `self.<attr>` in the methods of a class, with the method each is in. */
function assignedAttributeValues(cls: Node, attribute: string): { value: Node; fn: Node | undefined }[] {
  const values: { value: Node; fn: Node | undefined }[] = [];
  for (const type of ['assignment', 'augmented_assignment']) {
    for (const assignment of cls.descendantsOfType(type)) {
      const left = assignment?.childForFieldName('left');
      const right = assignment?.childForFieldName('right');
      if (!assignment || !left || !right || !bindsAttribute(left, attribute)) continue;
      values.push({ value: right, fn: enclosingFunction(assignment) });
    }
  }
  return values;
}

function bindsAttribute(target: Node, attribute: string): boolean {
  if (target.type === 'attribute') return target.text === attribute;
  if (/^(pattern_list|tuple_pattern|list_pattern|expression_list|tuple|list)$/.test(target.type)) {
    return target.namedChildren.some((child) => !!child && bindsAttribute(child, attribute));
  }
  return false;
}

/** What a function returns (its own `return` statements, not those of functions inside it). */
function returnedValues(fn: Node): Node[] {
  const values: Node[] = [];
  const visit = (node: Node) => {
    for (const child of node.namedChildren) {
      if (!child || child.type === 'function_definition' || child.type === 'class_definition' || child.type === 'lambda') continue;
      if (child.type === 'return_statement') {
        const value = child.namedChildren.find((c) => c && c.type !== 'comment');
        if (value) values.push(value);
      }
      visit(child);
    }
  };
  const body = fn.childForFieldName('body');
  if (body) visit(body);
  return values;
}

/** Whether an assignment target binds `name` (`name`, `name, addr`, `(name, _)`, `[name]`). */
function binds(target: Node, name: string): boolean {
  if (target.type === 'identifier') return target.text === name;
  if (/^(pattern_list|tuple_pattern|list_pattern|expression_list|tuple|list|as_pattern_target)$/.test(target.type)) {
    return target.namedChildren.some((child) => !!child && binds(child, name));
  }
  return false;
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

/** Calls in the file of a function or method by this name (`f(...)`, `self.f(...)`, `x.f(...)`). */
function callsOf(root: Node, fnName: string): Node[] {
  return withDescendants(root, 'call').filter((call) => {
    const fn = call.childForFieldName('function');
    if (fn?.type === 'identifier') return fn.text === fnName;
    return fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === fnName;
  });
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

function withDescendants(node: Node, type: string): Node[] {
  const found = node.type === type ? [node] : [];
  for (const d of node.descendantsOfType(type)) if (d && d.id !== node.id) found.push(d);
  return found;
}
