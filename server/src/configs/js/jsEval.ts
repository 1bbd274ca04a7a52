/**
 * The few JavaScript expressions config modules compute settings with, evaluated without running
 * anything: `process.env.WORKERS || 4`, `parseInt(process.env.N, 10)`, template strings,
 * `require('os').cpus().length - 1`, `os.availableParallelism()`, names bound at the top level.
 *
 * `process.env` is the workspace's environment (.env files): a variable without a value there
 * is unset, as on a machine that sets none of them, and a value computed from one says so
 * (`unset`). The CPU count is a number given by the caller (a count read at a given machine
 * size) or, in text, the launchers' CPU placeholder. Anything else is not read.
 */
import type { AnyNode, BinaryExpression, CallExpression, LogicalExpression, MemberExpression } from 'acorn';
import type { Environment } from '../env';
import { placeholder } from '../env';
import type { PValue } from '../pvalue';
import { isIdentifier, jsExpressionOf } from './jsModule';
import type { JsBinding, JsScope } from './jsModule';

export interface JsReading {
  /** The value, with unset variables unset; in text mode they are placeholders. */
  value: string | number | boolean | null | undefined;
  /** Unset variables the value still depends on (no default replaced them). */
  unset: string[];
  usesCpuCount: boolean;
  /** Defaults taken and variables found in the workspace, for descriptions. */
  notes: string[];
}

/** `text`: a string for a command line; `{ cpus }`: a number, at that many CPUs. */
export type JsMode = 'text' | { cpus: number };

/** Reads an `expr` value made by jsModule.ts; undefined when it is not one, or not readable. */
export function evaluateJs(value: PValue, env: Environment, mode: JsMode): JsReading | undefined {
  const expression = jsExpressionOf(value);
  if (!expression) return undefined;
  const evaluator = new Evaluator(expression.scope, env, mode);
  try {
    const result = evaluator.run(expression.node);
    const plain = evaluator.plain(result, true);
    if (typeof plain === 'number' && Number.isNaN(plain) && evaluator.unset.length === 0) return undefined;
    return { value: plain, unset: evaluator.unset, usesCpuCount: evaluator.usesCpuCount, notes: evaluator.notes };
  } catch (e) {
    if (e instanceof DependsOn) return { value: undefined, unset: [e.name], usesCpuCount: evaluator.usesCpuCount, notes: evaluator.notes };
    // Expressions nested deeper than the stack (generated code) are as unreadable as any other.
    if (e instanceof Unreadable || e instanceof RangeError) return undefined;
    throw e;
  }
}

/** An environment variable without a value in the workspace. */
class Unset {
  constructor(readonly name: string) {}
}

/** A value that is not data: a module, a function we know, the list `os.cpus()` returns. */
class Builtin {
  constructor(readonly name: string) {}
}

type Value = string | number | boolean | null | undefined | Unset | Builtin;

class Unreadable extends Error {}
/** A choice (`a ? b : c`) made on an unset variable: the value depends on it. */
class DependsOn extends Error {
  constructor(readonly name: string) {
    super(name);
  }
}

/** Real settings take a few dozen steps; this bounds time and recursion on generated code. */
const MAX_STEPS = 2_000;
const GLOBAL_FUNCTIONS = new Set(['parseInt', 'parseFloat', 'Number', 'String', 'require']);
const MATH_FUNCTIONS = new Set(['max', 'min', 'floor', 'ceil', 'round', 'trunc']);

class Evaluator {
  readonly unset: string[] = [];
  readonly notes: string[] = [];
  usesCpuCount = false;
  private steps = 0;
  private readonly following = new Set<string>();

  constructor(private readonly scope: JsScope, private readonly env: Environment, private readonly mode: JsMode) {}

  run(node: AnyNode): Value {
    if (++this.steps > MAX_STEPS) throw new Unreadable();
    switch (node.type) {
      case 'Literal': {
        const v = node.value;
        if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
        throw new Unreadable();
      }
      case 'TemplateLiteral': {
        const piece = (i: number) => node.quasis[i].value.cooked ?? node.quasis[i].value.raw;
        let out = piece(0);
        node.expressions.forEach((e, i) => {
          out += this.text(this.run(e)) + piece(i + 1);
        });
        return out;
      }
      case 'Identifier':
        return this.name(node.name);
      case 'MemberExpression':
        return this.member(node);
      case 'ChainExpression':
        return this.run(node.expression);
      case 'CallExpression':
        return this.call(node);
      case 'LogicalExpression':
        return this.logical(node);
      case 'BinaryExpression':
        return this.binary(node);
      case 'UnaryExpression': {
        const v = this.plain(this.run(node.argument));
        if (node.operator === '-') return -Number(v);
        if (node.operator === '+') return Number(v);
        if (node.operator === '!') return !v;
        throw new Unreadable();
      }
      case 'ConditionalExpression': {
        const before = this.unset.length;
        const test = this.plain(this.run(node.test));
        if (this.unset.length > before) throw new DependsOn(this.unset[before]);
        return this.run(test ? node.consequent : node.alternate);
      }
      default:
        throw new Unreadable();
    }
  }

  /** The value as JavaScript would use it (an unset variable is undefined). */
  plain(v: Value, top = false): string | number | boolean | null | undefined {
    if (v instanceof Unset) return top && this.mode === 'text' ? placeholder.variable(v.name) : undefined;
    if (v instanceof Builtin) {
      if (top) throw new Unreadable();
      return undefined;
    }
    return v;
  }

  /** The value inside a string: an unset variable stays visible as the launchers' placeholder. */
  private text(v: Value): string {
    if (v instanceof Unset) return this.mode === 'text' ? placeholder.variable(v.name) : 'undefined';
    return String(this.plain(v));
  }

  private name(name: string): Value {
    if (name === 'undefined') return undefined;
    const binding = this.scope.bindings.get(name);
    if (binding && !this.following.has(name)) {
      this.following.add(name);
      try {
        return this.bound(binding);
      } finally {
        this.following.delete(name);
      }
    }
    if (GLOBAL_FUNCTIONS.has(name)) return new Builtin(name);
    if (name === 'Math' || name === 'process') return new Builtin(name);
    throw new Unreadable();
  }

  private bound(binding: JsBinding): Value {
    if ('init' in binding) return this.run(binding.init);
    if ('from' in binding) return this.property(this.run(binding.from), binding.property);
    const module = this.module(binding.module);
    return binding.property === undefined ? module : this.property(module, binding.property);
  }

  private member(m: MemberExpression): Value {
    const key = m.computed ? this.plain(this.run(m.property)) : m.property.type === 'Identifier' ? m.property.name : undefined;
    if (typeof key !== 'string') throw new Unreadable();
    // process.env.X, process.env['X']
    const inner = m.object;
    if (inner.type === 'MemberExpression' && isIdentifier(inner.object, 'process') && !inner.computed && isIdentifier(inner.property, 'env')) return this.variable(key);
    if (inner.type === 'Super') throw new Unreadable();
    return this.property(this.run(inner), key);
  }

  private property(object: Value, key: string): Value {
    if (object instanceof Builtin) {
      if (object.name === 'os' && (key === 'cpus' || key === 'availableParallelism')) return new Builtin(`os.${key}`);
      if (object.name === 'os.cpus()' && key === 'length') return this.cpuCount();
      if (object.name === 'Math' && MATH_FUNCTIONS.has(key)) return new Builtin(`Math.${key}`);
      // `const { env } = process`, `process.env` read as a whole
      if (object.name === 'process' && key === 'env') return new Builtin('process.env');
      if (object.name === 'process.env') return this.variable(key);
    }
    if (typeof object === 'string' && key === 'length') return object.length;
    throw new Unreadable();
  }

  private variable(name: string): Value {
    const known = this.env.get(name);
    if (known) {
      this.notes.push(`${name}=${known.value} from ${known.from}`);
      return known.value;
    }
    this.unset.push(name);
    return new Unset(name);
  }

  private call(c: CallExpression): Value {
    if (c.callee.type === 'Super') throw new Unreadable();
    const callee = this.run(c.callee);
    if (!(callee instanceof Builtin)) throw new Unreadable();
    const args = c.arguments.map((a) => this.run(a));
    const plain = args.map((a) => this.plain(a));
    switch (callee.name) {
      case 'require':
        return this.module(plain[0]);
      case 'os.cpus':
        return new Builtin('os.cpus()');
      case 'os.availableParallelism':
        return this.cpuCount();
      case 'parseInt':
        return parseInt(String(plain[0]), plain[1] === undefined ? undefined : Number(plain[1]));
      case 'parseFloat':
        return parseFloat(String(plain[0]));
      case 'Number':
        return Number(plain[0]);
      case 'String':
        return this.text(args[0]);
      default:
        if (callee.name.startsWith('Math.')) {
          const numbers = plain.map(Number);
          const f = (Math as unknown as Record<string, (...n: number[]) => number>)[callee.name.slice('Math.'.length)];
          return f(...numbers);
        }
        throw new Unreadable();
    }
  }

  /** `a || b`, `a ?? b`: an unset `a` takes the default, and the description says so. */
  private logical(l: LogicalExpression): Value {
    const before = this.unset.length;
    const left = this.run(l.left);
    const plain = this.plain(left);
    const takesRight = l.operator === '||' ? !plain : l.operator === '??' ? plain === null || plain === undefined : l.operator === '&&' ? Boolean(plain) : undefined;
    if (takesRight === undefined) throw new Unreadable();
    if (!takesRight) return left;
    if (l.operator !== '&&' && this.unset.length > before) {
      const names = this.unset.splice(before);
      const right = this.run(l.right);
      const source = this.scope.source.slice(l.start, l.end).replace(/\s+/g, ' ');
      this.notes.push(`\`${source}\` taken at its default ${this.text(right)}; setting ${[...new Set(names)].join(' or ')} changes it`);
      return right;
    }
    return this.run(l.right);
  }

  private binary(b: BinaryExpression): Value {
    if (b.left.type === 'PrivateIdentifier') throw new Unreadable();
    const left = this.run(b.left);
    const right = this.run(b.right);
    if (b.operator === '+' && (typeof this.plain(left) === 'string' || typeof this.plain(right) === 'string' || left instanceof Unset || right instanceof Unset)) {
      if (typeof this.plain(left) === 'number' || typeof this.plain(right) === 'number') {
        // `process.env.N + 1`: a string joined to a number is not a count anyone means.
        if (this.mode !== 'text') throw new Unreadable();
      }
      return this.text(left) + this.text(right);
    }
    const x = this.plain(left);
    const y = this.plain(right);
    switch (b.operator) {
      case '+': return Number(x) + Number(y);
      case '-': return Number(x) - Number(y);
      case '*': return Number(x) * Number(y);
      case '/': return Number(x) / Number(y);
      case '%': return Number(x) % Number(y);
      case '===': return x === y;
      case '!==': return x !== y;
      // eslint-disable-next-line eqeqeq
      case '==': return x == y;
      // eslint-disable-next-line eqeqeq
      case '!=': return x != y;
      case '<': return Number(x) < Number(y);
      case '>': return Number(x) > Number(y);
      case '<=': return Number(x) <= Number(y);
      case '>=': return Number(x) >= Number(y);
      default: throw new Unreadable();
    }
  }

  /** Of all modules, only `os` tells anything a config computes counts from. */
  private module(name: unknown): Value {
    if (name === 'os' || name === 'node:os') return new Builtin('os');
    throw new Unreadable();
  }

  private cpuCount(): Value {
    this.usesCpuCount = true;
    return this.mode === 'text' ? placeholder.cpuCount : this.mode.cpus;
  }
}
