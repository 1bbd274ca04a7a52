/**
 * Dicts built across statements: `LOGGING = {...}` then `LOGGING['handlers']['file'] = {...}`,
 * `LOGGING.update({...})`, `LOGGING['loggers'].update(...)`. Values are rebuilt by replaying
 * the mutations of one scope on the literal.
 */
import type { Node } from '../../python/parser';
import type { PValue, PEntry } from '../pvalue';
import { NameLookup, calleeName, callArguments, enclosingQualname, pyValue, spanOf, stringValue } from './syntax';

export interface Mutation {
  /** Keys below the variable: `['handlers', 'file']`. */
  path: string[];
  /** `set` replaces the value at path; `update` merges a dict into it. */
  op: 'set' | 'update';
  value: Node;
  statement: Node;
}

/** `NAME['a']['b']` → { name: 'NAME', path: ['a', 'b'] } when every key is a string literal. */
export function subscriptPath(node: Node): { name: string; path: string[] } | undefined {
  const path: string[] = [];
  let n: Node | null = node;
  while (n && n.type === 'subscript') {
    const key = stringValue(n.childForFieldName('subscript'));
    if (key === undefined) return undefined;
    path.unshift(key);
    n = n.childForFieldName('value');
  }
  return n && n.type === 'identifier' ? { name: n.text, path } : undefined;
}

/**
 * Every mutation of `name` in the same function as `scopeNode` (or at module level). `index`,
 * when given, keeps each container's mutations of all names, so a module with many dicts is
 * walked once instead of once per dict.
 */
export function mutationsOf(root: Node, name: string, functionNode: Node | undefined, index?: MutationIndex): Mutation[] {
  const container = functionNode ?? root;
  // Cheap text test first: most dicts are never mutated.
  if (!new RegExp(`\\b${name}\\s*(\\[|\\.update\\b)`).test(container.text)) return [];
  if (!index) return mutationsIn(container, functionNode).get(name) ?? [];
  let byName = index.get(container.id);
  if (!byName) index.set(container.id, (byName = mutationsIn(container, functionNode)));
  return byName.get(name) ?? [];
}

/** Per container node id: its mutations by variable name. */
export type MutationIndex = Map<number, Map<string, Mutation[]>>;

/** The mutations in `container` that belong to `functionNode`'s own body (or the module's), by name, in source order. */
function mutationsIn(container: Node, functionNode: Node | undefined): Map<string, Mutation[]> {
  const byName = new Map<string, Mutation[]>();
  const add = (name: string, mutation: Mutation) => {
    const list = byName.get(name);
    if (list) list.push(mutation);
    else byName.set(name, [mutation]);
  };
  // The enclosing function is asked last: finding it walks up the tree, one call into the
  // parser's wasm per level, and a large module has thousands of calls that are not mutations.
  const inSameFunction = (node: Node) => enclosingQualname(node).functionNode?.id === functionNode?.id;
  for (const assignment of container.descendantsOfType('assignment')) {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (!left || !right || left.type !== 'subscript') continue;
    const target = subscriptPath(left);
    if (target && inSameFunction(assignment)) add(target.name, { path: target.path, op: 'set', value: right, statement: assignment });
  }
  for (const call of container.descendantsOfType('call')) {
    const fn = call.childForFieldName('function');
    if (!fn || fn.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'update') continue;
    const object = fn.childForFieldName('object');
    const target = object?.type === 'identifier' ? { name: object.text, path: [] } : object ? subscriptPath(object) : undefined;
    if (!target || !inSameFunction(call)) continue;
    const arg = callArguments(call).positional[0];
    if (arg) add(target.name, { path: target.path, op: 'update', value: arg, statement: call });
  }
  for (const list of byName.values()) list.sort((a, b) => a.statement.startIndex - b.statement.startIndex);
  return byName;
}

export function applyMutations(base: PValue, mutations: Mutation[], file: string, lookup: NameLookup): PValue {
  let value = base;
  for (const m of mutations) {
    const newValue = pyValue(m.value, file, lookup);
    value = m.op === 'set' ? setAt(value, m.path, newValue, spanOf(m.statement, file)) : updateAt(value, m.path, newValue);
  }
  return value;
}

function setAt(target: PValue, path: string[], newValue: PValue, statementSpan: PEntry['pairSpan']): PValue {
  if (path.length === 0) return newValue;
  const map: PValue = target.kind === 'map' ? target : { kind: 'map', entries: [], span: target.span };
  if (map.kind !== 'map') return target;
  const [key, ...rest] = path;
  const existing = map.entries.find((e) => e.key === key);
  const child = existing ? existing.value : ({ kind: 'map', entries: [], span: statementSpan } as PValue);
  const replaced = setAt(child, rest, newValue, statementSpan);
  // A `class` set by a statement gets that statement as its span: the diagnostic goes there.
  const entry: PEntry = { key, keySpan: existing?.keySpan ?? statementSpan, value: replaced, pairSpan: rest.length === 0 ? statementSpan : existing?.pairSpan ?? statementSpan };
  return { kind: 'map', entries: [...map.entries.filter((e) => e.key !== key), entry], span: map.span };
}

function updateAt(target: PValue, path: string[], merged: PValue): PValue {
  if (merged.kind !== 'map') return target;
  if (path.length === 0) {
    const base = target.kind === 'map' ? target.entries : [];
    const keys = new Set(merged.entries.map((e) => e.key));
    return { kind: 'map', entries: [...base.filter((e) => !keys.has(e.key)), ...merged.entries], span: target.span };
  }
  const map: PValue = target.kind === 'map' ? target : { kind: 'map', entries: [], span: target.span };
  if (map.kind !== 'map') return target;
  const [key, ...rest] = path;
  const existing = map.entries.find((e) => e.key === key);
  const child: PValue = existing ? existing.value : { kind: 'map', entries: [], span: merged.span };
  const entry: PEntry = { key, keySpan: existing?.keySpan ?? merged.span, value: updateAt(child, rest, merged), pairSpan: existing?.pairSpan ?? merged.span };
  return { kind: 'map', entries: [...map.entries.filter((e) => e.key !== key), entry], span: map.span };
}

/** Whether a call is `something.dictConfig(...)` / `dictConfig(...)`. */
export function isCallTo(call: Node, simpleName: string): boolean {
  const name = calleeName(call);
  return name === simpleName || name.endsWith(`.${simpleName}`);
}
