/**
 * The value a JavaScript config module exports (`module.exports = {...}`, `export default {...}`,
 * `exports.apps = [...]`), read with acorn into the positioned value tree the other config
 * readers walk (pvalue.ts). Nothing is run: literals become values, names bound once at the top
 * level are followed to their value, and any other expression stays an `expr` whose syntax node
 * jsEval.ts can still read (`process.env.X || 4`, `require('os').cpus().length`).
 *
 * Also reads the JSON files PM2 accepts, which may carry comments and trailing commas (JSON5):
 * as one JavaScript expression.
 */
import type { AnyNode, Expression, Node as AcornNode, Options, Program, Property, SpreadElement } from 'acorn';
import type { Span } from '../../model/facts';
import type { PEntry, PValue } from '../pvalue';
import type { LineIndex } from '../spans';
import { javascriptParser } from '../lazyParsers';

export interface JsDocument {
  root?: PValue;
  problems: { span: Span; message: string }[];
}

/**
 * What a top-level name is bound to: an expression, a property of one (`const { cpus } =
 * require('os')`), or what an import brings (`import os from 'os'`, `import { cpus } from 'os'`).
 */
export type JsBinding = { init: Expression } | { from: Expression; property: string } | { module: string; property?: string };

/** The module an `expr` value came from: its top-level names, for jsEval. */
export interface JsScope {
  source: string;
  bindings: Map<string, JsBinding>;
}

/** Syntax nodes behind `expr` values, so an evaluator can read them without parsing text again. */
const expressions = new WeakMap<PValue, { node: Expression; scope: JsScope }>();

export function jsExpressionOf(value: PValue): { node: Expression; scope: JsScope } | undefined {
  return expressions.get(value);
}

const MAX_DEPTH = 64;
/** Values built per file: a generated 2 MB literal must not build a tree a hundred times its size. */
const MAX_NODES = 200_000;

const OPTIONS: Options = { ecmaVersion: 'latest', allowHashBang: true, allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true };

/** An ecosystem.config.js / .cjs / .mjs: ES module syntax first, CommonJS script syntax if that fails. */
export function readJsModule(lines: LineIndex): JsDocument {
  let program: Program;
  try {
    program = javascriptParser().parse(lines.text, { ...OPTIONS, sourceType: 'module' });
  } catch (moduleError) {
    try {
      // `with`, legacy octal literals and the like are only valid outside modules.
      program = javascriptParser().parse(lines.text, { ...OPTIONS, sourceType: 'script' });
    } catch {
      return { problems: [parseProblem(lines, moduleError)] };
    }
  }
  const scope: JsScope = { source: lines.text, bindings: topLevelBindings(program) };
  const exported = exportedValue(program);
  if (!exported) return { problems: [] };
  const builder = new ValueBuilder(lines, scope);
  const root = exported.kind === 'value' ? builder.value(exported.node, 0) : builder.members(exported.members, exported.span);
  return { root, problems: [] };
}

/** A JSON (or JSON5) document: one expression, nothing else in the file. */
export function readJsonish(lines: LineIndex): JsDocument {
  let node: Expression;
  try {
    node = javascriptParser().parseExpressionAt(lines.text, 0, { ...OPTIONS, sourceType: 'script' });
    const rest = lines.text.slice(node.end).replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '');
    if (rest.trim() !== '') {
      const at = node.end + (lines.text.slice(node.end).search(/\S/));
      return { problems: [{ span: lines.span(at, at), message: `cannot parse ${baseName(lines.file)}: unexpected text after the value` }] };
    }
  } catch (e) {
    return { problems: [parseProblem(lines, e)] };
  }
  const builder = new ValueBuilder(lines, { source: lines.text, bindings: new Map() });
  return { root: builder.value(node, 0), problems: [] };
}

function parseProblem(lines: LineIndex, e: unknown): { span: Span; message: string } {
  const pos = typeof (e as { pos?: unknown }).pos === 'number' ? (e as { pos: number }).pos : 0;
  const at = Math.min(pos, lines.text.length);
  return { span: lines.span(at, at), message: `cannot parse ${baseName(lines.file)}: ${(e as Error).message}` };
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

type Exported = { kind: 'value'; node: Expression } | { kind: 'members'; members: { key: string; keyNode: AcornNode; value: Expression }[]; span: AcornNode };

/**
 * What the module exports, by its last assignment: `module.exports = X`, `export default X`, or
 * the members set one by one (`module.exports.apps = [...]`, `exports.apps = [...]`).
 */
function exportedValue(program: Program): Exported | undefined {
  let result: Exported | undefined;
  for (const statement of program.body) {
    if (statement.type === 'ExportDefaultDeclaration') {
      const declaration = statement.declaration;
      if (declaration.type !== 'FunctionDeclaration' && declaration.type !== 'ClassDeclaration') result = { kind: 'value', node: declaration as Expression };
      continue;
    }
    if (statement.type !== 'ExpressionStatement' || statement.expression.type !== 'AssignmentExpression' || statement.expression.operator !== '=') continue;
    const { left, right } = statement.expression;
    if (isModuleExports(left)) {
      result = { kind: 'value', node: right };
      continue;
    }
    // `module.exports.apps = ...` / `exports.apps = ...`: one member of the exported object.
    if (left.type === 'MemberExpression' && !left.computed && left.property.type === 'Identifier' && (isModuleExports(left.object) || isIdentifier(left.object, 'exports'))) {
      if (result?.kind !== 'members') result = { kind: 'members', members: [], span: statement };
      result.members.push({ key: left.property.name, keyNode: left.property, value: right });
    }
  }
  return result;
}

function isModuleExports(node: AnyNode): boolean {
  return node.type === 'MemberExpression' && !node.computed && isIdentifier(node.object, 'module') && isIdentifier(node.property, 'exports');
}

export function isIdentifier(node: AnyNode | undefined, name: string): boolean {
  return node?.type === 'Identifier' && node.name === name;
}

/**
 * Names declared at the top level and never assigned again: only those have one value to
 * follow (`let n = 4; if (prod) n = 8;` does not).
 */
function topLevelBindings(program: Program): Map<string, JsBinding> {
  const bindings = new Map<string, JsBinding>();
  for (const statement of program.body) {
    if (statement.type === 'ImportDeclaration') {
      const module = String(statement.source.value);
      for (const s of statement.specifiers) {
        if (s.type === 'ImportSpecifier') bindings.set(s.local.name, { module, property: s.imported.type === 'Identifier' ? s.imported.name : String(s.imported.value) });
        else bindings.set(s.local.name, { module });
      }
      continue;
    }
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const declarator of declaration.declarations) {
      if (!declarator.init) continue;
      if (declarator.id.type === 'Identifier') bindings.set(declarator.id.name, { init: declarator.init });
      else if (declarator.id.type === 'ObjectPattern') {
        for (const p of declarator.id.properties) {
          if (p.type !== 'Property' || p.computed || p.key.type !== 'Identifier' || p.value.type !== 'Identifier') continue;
          bindings.set(p.value.name, { from: declarator.init, property: p.key.name });
        }
      }
    }
  }
  for (const name of reassignedNames(program)) bindings.delete(name);
  return bindings;
}

/** Every name an assignment or `++`/`--` anywhere in the file writes to. */
function reassignedNames(program: Program): Set<string> {
  const names = new Set<string>();
  const visit = (node: unknown, depth: number): void => {
    if (depth > 500 || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child, depth + 1);
      return;
    }
    const n = node as { type?: unknown; left?: { type: string; name?: string }; argument?: { type: string; name?: string } };
    if (typeof n.type !== 'string') return;
    if (n.type === 'AssignmentExpression' && n.left?.type === 'Identifier') names.add(n.left.name!);
    if (n.type === 'UpdateExpression' && n.argument?.type === 'Identifier') names.add(n.argument.name!);
    for (const key in n) if (key !== 'type' && key !== 'start' && key !== 'end') visit((n as Record<string, unknown>)[key], depth + 1);
  };
  visit(program.body, 0);
  return names;
}

/** Turns expressions into PValues within the node budget. */
class ValueBuilder {
  private remaining = MAX_NODES;
  /** Names being followed right now: `const a = {...a}` must not loop. */
  private readonly following = new Set<string>();

  constructor(private readonly lines: LineIndex, private readonly scope: JsScope) {}

  value(node: Expression | SpreadElement, depth: number): PValue {
    const span = this.spanOf(node);
    if (depth > MAX_DEPTH || --this.remaining < 0) return { kind: 'expr', text: '…', span };
    switch (node.type) {
      case 'ObjectExpression':
        return { kind: 'map', entries: this.entries(node.properties, depth), span };
      case 'ArrayExpression': {
        const items: PValue[] = [];
        for (const element of node.elements) {
          if (!element) continue;
          if (element.type === 'SpreadElement') {
            const spread = this.value(element.argument, depth + 1);
            if (spread.kind === 'list') items.push(...spread.items);
            continue;
          }
          items.push(this.value(element, depth + 1));
        }
        return { kind: 'list', items, span };
      }
      case 'Literal':
        if (typeof node.value === 'string') return { kind: 'string', value: node.value, span };
        if (typeof node.value === 'number' || typeof node.value === 'boolean' || node.value === null) return { kind: 'scalar', text: String(node.value), span };
        break;
      case 'TemplateLiteral':
        if (node.expressions.length === 0) return { kind: 'string', value: node.quasis[0].value.cooked ?? node.quasis[0].value.raw, span };
        break;
      case 'UnaryExpression':
        if ((node.operator === '-' || node.operator === '+') && node.argument.type === 'Literal' && typeof node.argument.value === 'number') {
          return { kind: 'scalar', text: String(node.operator === '-' ? -node.argument.value : node.argument.value), span };
        }
        break;
      case 'Identifier': {
        if (node.name === 'undefined') return { kind: 'scalar', text: 'undefined', span };
        const binding = this.scope.bindings.get(node.name);
        if (binding && 'init' in binding && !this.following.has(node.name)) {
          this.following.add(node.name);
          try {
            return this.value(binding.init, depth + 1);
          } finally {
            this.following.delete(node.name);
          }
        }
        break;
      }
    }
    return this.expression(node as Expression, span);
  }

  /** The members assigned one by one (`exports.apps = [...]`), as one map. */
  members(members: { key: string; keyNode: AcornNode; value: Expression }[], whole: AcornNode): PValue {
    const entries: PEntry[] = members.map((m) => {
      const value = this.value(m.value, 1);
      const keySpan = this.spanOf(m.keyNode);
      return { key: m.key, keySpan, value, pairSpan: { file: this.lines.file, start: keySpan.start, end: value.span.end } };
    });
    return { kind: 'map', entries, span: this.spanOf(whole) };
  }

  private entries(properties: (Property | SpreadElement)[], depth: number): PEntry[] {
    const entries: PEntry[] = [];
    for (const property of properties) {
      if (property.type === 'SpreadElement') {
        // `{ ...defaults, instances: 4 }`: the spread keys come first, later keys override them.
        const spread = this.value(property.argument, depth + 1);
        if (spread.kind === 'map') entries.push(...spread.entries);
        continue;
      }
      if (property.kind !== 'init' || property.method || property.computed) continue;
      const key = property.key.type === 'Identifier' ? property.key.name : property.key.type === 'Literal' ? String(property.key.value) : undefined;
      if (key === undefined) continue;
      const value = this.value(property.value as Expression, depth + 1);
      entries.push({ key, keySpan: this.spanOf(property.key), value, pairSpan: this.spanOf(property) });
    }
    return entries;
  }

  private expression(node: Expression, span: Span): PValue {
    const value: PValue = { kind: 'expr', text: this.scope.source.slice(node.start, node.end), span };
    expressions.set(value, { node, scope: this.scope });
    return value;
  }

  private spanOf(node: AcornNode): Span {
    return this.lines.span(node.start, node.end);
  }
}
