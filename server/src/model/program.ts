/**
 * The linked program: every file's facts, with names resolved across files.
 *
 * Python module names are not unique in a workspace (two scripts called `main.py` in two
 * projects), so each module is keyed by its name *and* the directory it is importable from,
 * and an import resolves to the candidate nearest the importing file.
 */
import * as path from 'path';
import type { ClassDef, FileFacts, FunctionDef, ScopeId, SymbolRef } from './facts';
import { LINE_SCANNED_BODY, functionScope, isLineScanned } from './facts';

export interface ModuleRecord {
  /** `name@importRoot`: unique in the workspace. */
  key: string;
  name: string;
  file: string;
  importRoot: string;
  isPackageInit: boolean;
  facts: FileFacts;
  /** Each function's qualname → the code unit it runs as (its own, or a shared body). */
  functions: Map<string, ScopeId>;
  classes: Map<string, ClassDef>;
  /** Local alias → qualified name it was imported as. */
  aliases: Map<string, string>;
  starImports: string[];
  /**
   * Read by the line scan (lightFacts.ts), wholly or in part (partialParse.ts): the functions
   * it read share one body, the scope each of them resolves to, so that no edge per function
   * leads there (the stdlib's line-scanned files define 52K functions: 60 % of the scope
   * graph's edges were those).
   */
  sharedBody?: ScopeId;
}

/** A function the line scan read: its name, for evidence that would otherwise name the shared body. */
export function sharedBodyName(module: ModuleRecord, qualname: string, scope: ScopeId): string | undefined {
  return scope === module.sharedBody ? qualname : undefined;
}

export type ResolvedSymbol =
  | { kind: 'function'; module: ModuleRecord; qualname: string; scope: ScopeId }
  | { kind: 'class'; module: ModuleRecord; qualname: string; def: ClassDef }
  | { kind: 'module'; module: ModuleRecord }
  | { kind: 'external'; name: string };

export interface ModuleLocation {
  module: string;
  importRoot: string;
  isPackageInit: boolean;
}

export const moduleKey = (name: string, importRoot: string) => `${name}@${importRoot}`;

/**
 * Rewrites a front-end's scope ids (`module:pkg.mod`, `func:pkg.mod:f`) into keyed ones, so
 * equal module names in different import roots never share a scope.
 */
export function keyScopes(facts: FileFacts, loc: ModuleLocation): void {
  const key = moduleKey(loc.module, loc.importRoot);
  const plain = `module:${loc.module}`;
  const funcPrefix = `func:${loc.module}:`;
  // A scope recurs in every call, import and log call made from it: one keyed string each
  // (fewer concatenations, and one copy in memory instead of one per fact).
  const keyed = new Map<ScopeId, ScopeId>();
  const rekey = (scope: ScopeId): ScopeId => {
    let result = keyed.get(scope);
    if (result === undefined) {
      if (scope === plain) result = `module:${key}`;
      else if (scope.startsWith(funcPrefix)) result = `func:${key}:${scope.slice(funcPrefix.length)}`;
      else result = scope;
      keyed.set(scope, result);
    }
    return result;
  };
  renameScopes(facts, rekey);
}

/** Every scope id the facts hold, through `rename`. */
export function renameScopes(facts: FileFacts, rekey: (scope: ScopeId) => ScopeId): void {
  for (const h of facts.handlers) {
    h.scope = rekey(h.scope);
    if (h.path?.kind === 'dynamic' && h.path.param) h.path.param.scope = rekey(h.path.param.scope);
  }
  for (const s of facts.starts) {
    s.scope = rekey(s.scope);
    if (s.childScopes) s.childScopes = s.childScopes.map(rekey);
  }
  for (const c of facts.calls) c.from = rekey(c.from);
  for (const i of facts.imports) i.scope = rekey(i.scope);
  for (const f of facts.functions) f.scope = rekey(f.scope);
  for (const m of facts.startMethods) m.scope = rekey(m.scope);
  for (const l of facts.configLoads) l.scope = rekey(l.scope);
  for (const h of facts.hazards) {
    h.scope = rekey(h.scope);
    if (h.queueGlobal) h.queueGlobal.setBy = h.queueGlobal.setBy.map(rekey);
  }
  for (const l of facts.logCalls) l.scope = rekey(l.scope);
  for (const c of facts.handlerClears) c.scope = rekey(c.scope);
  for (const s of facts.sinks ?? []) s.scope = rekey(s.scope);
  for (const w of facts.globalWrites ?? []) w.scope = rekey(w.scope);
}

export class Program {
  readonly configFiles = new Map<string, FileFacts>();
  private readonly byName = new Map<string, ModuleRecord[]>();
  private readonly byFile = new Map<string, ModuleRecord>();
  /** Resolutions depend only on module interfaces; cleared whenever one changes. */
  /** By import root, then by name: no key string to build for each of the many lookups. */
  private readonly symbolCache = new Map<string, Map<string, ResolvedSymbol>>();
  /** `moduleScopesFor` answers: asked for every import edge, and they change only with the modules. */
  private scopesCache = new WeakMap<ModuleRecord, ScopeId[]>();
  /** `classAncestors` answers, by class (`<module key>:<qualname>`). */
  private readonly ancestorsCache = new Map<string, readonly string[]>();
  private readonly interfaces = new Map<string, string>();

  constructor(files: { facts: FileFacts; location?: ModuleLocation }[] = []) {
    for (const f of files) this.upsert(f.facts, f.location);
  }

  private moduleList?: ModuleRecord[];

  get modules(): ModuleRecord[] {
    return (this.moduleList ??= [...this.byFile.values()]);
  }

  /**
   * Adds or replaces a file. Returns whether what other files can see of it changed (its
   * definitions and imports), i.e. whether resolutions made elsewhere may now differ.
   */
  upsert(facts: FileFacts, location?: ModuleLocation): boolean {
    if (!location || facts.language !== 'python') {
      // A new config file may be what some code's load was waiting for.
      const isNew = !this.configFiles.has(facts.file);
      this.configFiles.set(facts.file, facts);
      if (isNew) this.forgetResolutions();
      return isNew;
    }
    const record: ModuleRecord = {
      key: moduleKey(location.module, location.importRoot),
      name: location.module,
      file: facts.file,
      importRoot: location.importRoot,
      isPackageInit: location.isPackageInit,
      facts,
      functions: new Map(facts.functions.map((f) => [f.qualname, f.scope])),
      classes: new Map(facts.classes.map((c) => [c.qualname, c])),
      aliases: new Map(),
      starImports: [],
    };
    if (isLineScanned(facts)) record.sharedBody = functionScope(record.key, LINE_SCANNED_BODY);
    for (const imp of facts.imports) {
      if (imp.name === '*') record.starImports.push(imp.module);
      else if (imp.name) record.aliases.set(imp.alias, `${imp.module}.${imp.name}`);
      else record.aliases.set(imp.alias, imp.alias === imp.module.split('.')[0] ? imp.alias : imp.module);
    }
    const old = this.byFile.get(facts.file);
    if (old) this.unlink(old);
    this.byFile.set(facts.file, record);
    this.moduleList = undefined;
    const list = this.byName.get(record.name) ?? [];
    list.push(record);
    this.byName.set(record.name, list);
    // A new module changes resolutions; a replaced one only if its interface changed. Interfaces
    // are computed on the first replacement, not for every module of the first link.
    let changed = true;
    if (old) {
      const signature = interfaceOf(record);
      changed = (this.interfaces.get(facts.file) ?? interfaceOf(old)) !== signature;
      this.interfaces.set(facts.file, signature);
    }
    if (changed) this.forgetResolutions();
    return changed;
  }

  private forgetResolutions(): void {
    this.symbolCache.clear();
    this.scopesCache = new WeakMap();
    this.ancestorsCache.clear();
  }

  /** Removes a file; returns true (a module disappearing changes resolutions). */
  remove(file: string): boolean {
    const hadConfig = this.configFiles.delete(file);
    const old = this.byFile.get(file);
    if (!old) return hadConfig;
    this.unlink(old);
    this.byFile.delete(file);
    this.moduleList = undefined;
    this.interfaces.delete(file);
    this.forgetResolutions();
    return true;
  }

  private unlink(record: ModuleRecord): void {
    const list = this.byName.get(record.name)?.filter((r) => r.file !== record.file) ?? [];
    if (list.length) this.byName.set(record.name, list);
    else this.byName.delete(record.name);
  }

  moduleOfFile(file: string): ModuleRecord | undefined {
    return this.byFile.get(file);
  }

  moduleByKey(key: string): ModuleRecord | undefined {
    const at = key.indexOf('@');
    const list = this.byName.get(key.slice(0, at));
    return list?.find((m) => m.key === key);
  }

  /** The definition behind a function scope (`func:<module key>:<qualname>`), if any. */
  functionAt(scope: ScopeId): FunctionDef | undefined {
    if (!scope.startsWith('func:')) return undefined;
    const key = scope.slice(5, scope.indexOf(':', scope.indexOf('@')));
    return this.moduleByKey(key)?.facts.functions.find((f) => f.scope === scope);
  }

  /** The module `name` as seen from `fromFile`: same import root first, then the nearest. */
  resolveModule(name: string, fromFile: string): ModuleRecord | undefined {
    const candidates = this.byName.get(name);
    if (!candidates || candidates.length === 0) return undefined;
    if (candidates.length === 1) return candidates[0];
    const from = this.byFile.get(fromFile);
    const fromDir = from?.importRoot ?? path.dirname(fromFile);
    const same = candidates.find((c) => c.importRoot === fromDir);
    if (same) return same;
    let best = candidates[0];
    let bestLen = -1;
    for (const c of candidates) {
      const len = commonPrefixLength(c.importRoot, fromDir);
      if (len > bestLen) {
        best = c;
        bestLen = len;
      }
    }
    return best;
  }

  /** Resolves a qualified dotted name written in `fromFile` to what it denotes. */
  resolveSymbol(name: string, fromFile: string, depth = 0): ResolvedSymbol {
    if (depth > 8) return { kind: 'external', name };
    if (depth === 0) {
      // Resolution depends on where the name is written only through the import root.
      const from = this.byFile.get(fromFile);
      const root = from?.importRoot ?? path.dirname(fromFile);
      let byName = this.symbolCache.get(root);
      if (!byName) this.symbolCache.set(root, (byName = new Map()));
      let hit = byName.get(name);
      if (!hit) {
        hit = this.resolveUncached(name, fromFile, depth);
        byName.set(name, hit);
      }
      return hit;
    }
    return this.resolveUncached(name, fromFile, depth);
  }

  private resolveUncached(name: string, fromFile: string, depth: number): ResolvedSymbol {
    // The longest dotted prefix that names a module, then the rest inside it. Prefixes are cut
    // from the name, not joined from its parts: most names are tried at several lengths.
    for (let end = name.length; end > 0; end = name.lastIndexOf('.', end - 1)) {
      const module = this.resolveModule(end === name.length ? name : name.slice(0, end), fromFile);
      if (!module) continue;
      if (end === name.length) return { kind: 'module', module };
      return this.resolveInModule(module, name.slice(end + 1).split('.'), depth);
    }
    return { kind: 'external', name };
  }

  private resolveInModule(module: ModuleRecord, rest: string[], depth: number): ResolvedSymbol {
    const qualname = rest.join('.');
    const scope = module.functions.get(qualname);
    if (scope !== undefined) return { kind: 'function', module, qualname, scope };
    const cls = module.classes.get(qualname);
    if (cls) return { kind: 'class', module, qualname, def: cls };
    // A name called inside a function that does not define it: Python looks in the enclosing
    // functions, then among the module's globals (`setup = configure`, called in `work()`).
    if (rest.length >= 2 && module.functions.has(rest.slice(0, -1).join('.'))) {
      return this.resolveInModule(module, [...rest.slice(0, -2), rest[rest.length - 1]], depth + 1);
    }
    // `Class.method` where the method is inherited is out of reach; a re-export is not.
    const alias = module.aliases.get(rest[0]);
    if (alias) return this.resolveSymbol([alias, ...rest.slice(1)].join('.'), module.file, depth + 1);
    for (const star of module.starImports) {
      const target = this.resolveModule(star, module.file);
      if (target && target !== module) {
        const found = this.resolveInModule(target, rest, depth + 1);
        if (found.kind !== 'external') return found;
      }
    }
    // A submodule of a package: `pkg.sub` where pkg/__init__ does not import it.
    const sub = this.resolveModule(`${module.name}.${rest[0]}`, module.file);
    if (sub) return rest.length === 1 ? { kind: 'module', module: sub } : this.resolveInModule(sub, rest.slice(1), depth + 1);
    return { kind: 'external', name: `${module.name}.${qualname}` };
  }

  /** A reference as written in a module: qualified names first, then names local to that module. */
  resolveRef(ref: SymbolRef): ResolvedSymbol {
    const direct = this.resolveSymbol(ref.name, ref.span.file);
    if (direct.kind !== 'external' || !ref.fromModule || ref.name.startsWith(ref.fromModule + '.')) return direct;
    return this.resolveSymbol(`${ref.fromModule}.${ref.name}`, ref.span.file);
  }

  /**
   * Base classes of a workspace class, as qualified external names or workspace classes. Asked
   * for every call of a class (the stdlib: ~16 ms of its scope graph), so kept per class until a
   * resolution may change.
   */
  classAncestors(cls: ResolvedSymbol & { kind: 'class' }): readonly string[] {
    const id = `${cls.module.key}:${cls.qualname}`;
    let known = this.ancestorsCache.get(id);
    if (known === undefined) this.ancestorsCache.set(id, (known = this.ancestorsOf(cls, new Set())));
    return known;
  }

  private ancestorsOf(cls: ResolvedSymbol & { kind: 'class' }, seen: Set<string>): string[] {
    const out: string[] = [];
    const id = `${cls.module.key}:${cls.qualname}`;
    if (seen.has(id)) return out;
    seen.add(id);
    for (const base of cls.def.bases) {
      const resolved = this.resolveSymbol(base.name, cls.module.file);
      if (resolved.kind === 'class') {
        out.push(`${resolved.module.name}.${resolved.qualname}`);
        out.push(...this.ancestorsOf(resolved, seen));
      } else if (resolved.kind === 'external') {
        out.push(resolved.name);
      }
    }
    return out;
  }

  /** Module scope plus the package `__init__` modules Python imports on the way. */
  moduleScopesFor(module: ModuleRecord): ScopeId[] {
    const known = this.scopesCache.get(module);
    if (known) return known;
    const scopes = [`module:${module.key}`];
    const parts = module.name.split('.');
    for (let i = 1; i < parts.length; i++) {
      const pkg = this.resolveModule(parts.slice(0, i).join('.'), module.file);
      if (pkg) scopes.push(`module:${pkg.key}`);
    }
    this.scopesCache.set(module, scopes);
    return scopes;
  }
}

/** What other modules can see of a module: its name, definitions and imports. */
function interfaceOf(record: ModuleRecord): string {
  return [
    record.key,
    [...record.functions.keys()].join(','),
    [...record.classes.values()].map((c) => `${c.qualname}(${c.bases.map((b) => b.name).join(',')})`).join(','),
    [...record.aliases].map(([a, t]) => `${a}=${t}`).join(','),
    record.starImports.join(','),
  ].join('|');
}

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
