/**
 * Config facts in Python files: dictConfig dicts (literal, by name, built across statements,
 * imported from another module, or loaded from a JSON/YAML/TOML file), fileConfig loads,
 * Django LOGGING in settings modules, DJANGO_SETTINGS_MODULE, gunicorn config modules, Celery
 * apps and their logging signals.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Node } from '../../python/parser';
import type { FileFacts, ScopeId } from '../../model/facts';
import { configScope, moduleScope } from '../../model/facts';
import type { ConfigContext } from '../context';
import type { PValue } from '../pvalue';
import { readDictConfig, looksLikeDictConfig } from '../logconfig/dictSchema';
import { emitDeclarations } from '../logconfig/declarations';
import { NameLookup, callArguments, calleeName, callsMatching, enclosingQualname, moduleLevelStatements, pyValue, scopeOfNode, spanOf, stringValue } from './syntax';
import { applyMutations, isCallTo, mutationsOf, MutationIndex } from './dictValues';
import { readGunicornConfModule, isGunicornConfModule } from './gunicornConf';
import { readCeleryApp } from './celeryApp';
import type { PythonModuleView } from './moduleView';

/** Files without any of these words cannot contain what this reader looks for. */
const PREFILTER = /dictConfig|fileConfig|LOGGING|DJANGO_SETTINGS_MODULE|Celery|setup_logg|worker_process_init|workers|logconfig|accesslog|errorlog/;

const CONFIG_FILE = /\.(json|ya?ml|toml|ini|conf|cfg)$/i;

export function addPythonConfigFactsTo(root: Node, text: string, facts: FileFacts, ctx: ConfigContext): void {
  if (!facts.module || !(PREFILTER.test(text) || /gunicorn/i.test(path.basename(facts.file)))) return;
  new PythonConfigReader(root, text, facts, ctx).read();
}

class PythonConfigReader implements PythonModuleView {
  private readonly module: string;
  readonly file: string;
  /** Module-level `NAME = value` right-hand sides, last one wins. */
  private readonly moduleValues = new Map<string, Node>();
  /** Names passed to dictConfig in this module: not reported again as stand-alone dicts. */
  private readonly configuredNames = new Set<string>();
  /** Mutations of dicts, found once per function (or the module) for all the dicts in it. */
  private readonly mutationIndex: MutationIndex = new Map();
  readonly lookup: NameLookup;

  constructor(private readonly root: Node, private readonly text: string, private readonly facts: FileFacts, private readonly ctx: ConfigContext) {
    this.module = facts.module!;
    this.file = facts.file;
    for (const statement of moduleLevelStatements(root)) {
      const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
      if (assignment?.type !== 'assignment') continue;
      const left = assignment.childForFieldName('left');
      const right = assignment.childForFieldName('right');
      if (left?.type === 'identifier' && right) this.moduleValues.set(left.text, right);
    }
    this.lookup = (name, at) => this.constantValue(name, at);
  }

  read(): void {
    const dictConfigNames = this.importedAliases('dictConfig');
    const fileConfigNames = this.importedAliases('fileConfig');
    const names = ['dictConfig', 'fileConfig', 'setdefault', ...dictConfigNames, ...fileConfigNames];
    for (const call of callsMatching(this.root, this.text, new RegExp(`\\b(${names.join('|')})\\b`, 'g'))) {
      const callee = calleeName(call);
      if (isCallTo(call, 'dictConfig') || dictConfigNames.has(callee)) this.readDictConfigCall(call);
      else if (isCallTo(call, 'fileConfig') || fileConfigNames.has(callee)) this.readFileConfigCall(call);
      else if (isSettingsModuleCall(call)) this.readSettingsModuleSetting(call);
    }
    this.readDjangoSettingsAssignments();
    const django = this.readDjangoLogging();
    if (isGunicornConfModule(this.file, this.moduleValues)) readGunicornConfModule(this, this.facts, this.ctx);
    readCeleryApp(this.root, this.text, this.facts, this, this.ctx.workspaceRoot);
    this.readStandaloneDicts(django);
  }

  /** Local names of `from logging.config import dictConfig as configure`. */
  private importedAliases(name: string): Set<string> {
    const aliases = new Set<string>();
    if (!new RegExp(`\\b${name}\\s+as\\b`).test(this.text)) return aliases;
    for (const statement of this.root.descendantsOfType('import_from_statement')) {
      for (const n of statement.childrenForFieldName('name')) {
        if (n.type === 'aliased_import' && n.childForFieldName('name')?.text === name) {
          const alias = n.childForFieldName('alias')?.text;
          if (alias) aliases.add(alias);
        }
      }
    }
    return aliases;
  }

  // ---- values ------------------------------------------------------------------------------

  /** A module-level constant (string, number) or dict, for folding names inside dicts. */
  private constantValue(name: string, at: Node): PValue | undefined {
    const node = this.moduleValues.get(name);
    if (!node || node.id === at.id || node.startIndex <= at.startIndex && at.endIndex <= node.endIndex) return undefined;
    if (node.type === 'string' || node.type === 'concatenated_string' || node.type === 'integer' || node.type === 'dictionary') {
      return pyValue(node, this.file, this.lookup);
    }
    return undefined;
  }

  moduleValue(name: string): Node | undefined {
    return this.moduleValues.get(name);
  }

  topLevelFunctions(names: string[]): { name: string; node: Node; decorators: Node[] }[] {
    const found: { name: string; node: Node; decorators: Node[] }[] = [];
    for (const child of this.root.namedChildren) {
      const def = child.type === 'decorated_definition' ? child.childForFieldName('definition') : child;
      if (def?.type !== 'function_definition') continue;
      const name = def.childForFieldName('name')?.text;
      if (name && (names.length === 0 || names.includes(name))) {
        found.push({ name, node: def, decorators: child.type === 'decorated_definition' ? child.namedChildren.filter((c) => c.type === 'decorator') : [] });
      }
    }
    return found;
  }

  importedNames(names: string[]): { name: string; statement: Node }[] {
    const found: { name: string; statement: Node }[] = [];
    for (const statement of moduleLevelStatements(this.root)) {
      if (statement.type !== 'import_from_statement') continue;
      for (const n of statement.childrenForFieldName('name')) {
        const bound = n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : n.text;
        if (bound && names.includes(bound)) found.push({ name: bound, statement });
      }
    }
    return found;
  }

  get moduleName(): string {
    return this.module;
  }

  /** The dict a name holds at `at`: its last assignment in the same function (else module), plus mutations. */
  dictNamed(name: string, at: Node): PValue | undefined {
    const { functionNode } = enclosingQualname(at);
    let source: Node | undefined;
    if (functionNode) {
      for (const assignment of functionNode.descendantsOfType('assignment')) {
        if (assignment.startIndex > at.startIndex) break;
        const left = assignment.childForFieldName('left');
        if (left?.type === 'identifier' && left.text === name) source = assignment.childForFieldName('right') ?? undefined;
      }
    }
    const owner = source ? functionNode : undefined;
    source ??= this.moduleValues.get(name);
    if (!source || (source.type !== 'dictionary' && !(source.type === 'call' && calleeName(source) === 'dict'))) return undefined;
    const base = pyValue(source, this.file, this.lookup);
    return applyMutations(base, mutationsOf(this.root, name, owner, this.mutationIndex), this.file, this.lookup);
  }

  // ---- dictConfig / fileConfig ---------------------------------------------------------------

  private readDictConfigCall(call: Node): void {
    const { positional, keywords } = callArguments(call);
    const arg = positional[0] ?? keywords.get('config');
    if (!arg) return;
    const scope = scopeOfNode(call, this.module);
    const span = spanOf(call, this.file);
    let value: PValue | undefined;
    if (arg.type === 'dictionary' || (arg.type === 'call' && calleeName(arg) === 'dict')) value = pyValue(arg, this.file, this.lookup);
    else if (arg.type === 'identifier') {
      value = this.dictNamed(arg.text, call);
      if (value) this.configuredNames.add(arg.text);
    }
    if (value) {
      this.facts.configLoads.push({ kind: 'dictConfig', span, scope });
      this.emitDict(value, scope, (h) => `declared in a dictConfig dict in ${this.module} (handlers.${h})`);
      return;
    }
    const imported = arg.type === 'identifier' ? this.importedDictFile(arg.text) : undefined;
    if (imported) {
      this.facts.configLoads.push({ kind: 'dictConfig', span, scope, file: { kind: 'literal', value: imported } });
      return;
    }
    const loaded = this.configFileIn(arg, 0);
    this.facts.configLoads.push(loaded ? { kind: 'dictConfig', span, scope, file: { kind: 'literal', value: loaded } } : { kind: 'dictConfig', span, scope, file: { kind: 'dynamic', text: arg.text } });
  }

  private readFileConfigCall(call: Node): void {
    const { positional, keywords } = callArguments(call);
    const arg = positional[0] ?? keywords.get('fname');
    if (!arg) return;
    const loaded = this.configFileIn(arg, 0) ?? stringValue(arg);
    this.facts.configLoads.push({
      kind: 'fileConfig',
      span: spanOf(call, this.file),
      scope: scopeOfNode(call, this.module),
      file: loaded !== undefined ? { kind: 'literal', value: loaded } : { kind: 'dynamic', text: arg.text },
    });
  }

  emitDict(value: PValue, scope: ScopeId, describe: (handlerName: string) => string): void {
    emitDeclarations(readDictConfig(value), scope, (h) => describe(h.name), this.facts);
  }

  /**
   * The config file an expression reads: a string literal naming a .json/.yaml/.toml/.ini
   * inside it (`json.load(open('logging.json'))`, `Path(__file__).parent / 'logging.yaml'`),
   * or inside what its names were bound to (`with open(p) as f`, `cfg = yaml.safe_load(f)`).
   */
  private configFileIn(node: Node, depth: number): string | undefined {
    if (depth > 3) return undefined;
    for (const s of [node, ...node.descendantsOfType('string')]) {
      const value = stringValue(s);
      if (value !== undefined && CONFIG_FILE.test(value)) return value;
    }
    const names = node.type === 'identifier' ? [node] : node.descendantsOfType('identifier');
    for (const name of names) {
      const bound = this.bindingOf(name.text, node);
      if (bound) {
        const found = this.configFileIn(bound, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** What a name was last bound to before `at`, in the same function or at module level. */
  private bindingOf(name: string, at: Node): Node | undefined {
    const { functionNode } = enclosingQualname(at);
    const container = functionNode ?? this.root;
    let found: Node | undefined;
    for (const candidate of container.descendantsOfType(['assignment', 'as_pattern'])) {
      if (candidate.startIndex > at.startIndex) break;
      if (candidate.type === 'assignment') {
        const left = candidate.childForFieldName('left');
        if (left?.type === 'identifier' && left.text === name) found = candidate.childForFieldName('right') ?? found;
      } else {
        const alias = candidate.childForFieldName('alias');
        if (alias && alias.text.trim() === name) found = candidate.namedChildren[0] ?? found;
      }
    }
    return found ?? (functionNode && parameterDefault(functionNode, name)) ?? this.moduleValues.get(name);
  }

  /** `from proj.logconf import LOGGING` → `proj/logconf.py` (workspace-relative) when it exists. */
  private importedDictFile(name: string): string | undefined {
    for (const statement of this.root.descendantsOfType('import_from_statement')) {
      const moduleNode = statement.childForFieldName('module_name');
      if (!moduleNode) continue;
      const importsName = statement.childrenForFieldName('name').some((n) => (n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : n.text) === name);
      if (!importsName) continue;
      const target = this.absoluteModule(moduleNode.text);
      return target ? moduleFile(target, this.ctx.workspaceRoot) : undefined;
    }
    return undefined;
  }

  private absoluteModule(written: string): string | undefined {
    const dots = /^\.*/.exec(written)![0].length;
    if (dots === 0) return written;
    const isPackage = path.basename(this.file) === '__init__.py';
    const parts = this.module.split('.');
    const base = parts.slice(0, parts.length - (isPackage ? 0 : 1) - (dots - 1));
    const rest = written.slice(dots);
    return [...base, ...(rest ? rest.split('.') : [])].join('.') || undefined;
  }

  // ---- Django ------------------------------------------------------------------------------

  /** `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")`: this module reaches settings. */
  private readSettingsModuleSetting(call: Node): void {
    const [key, value] = callArguments(call).positional;
    if (stringValue(key) !== 'DJANGO_SETTINGS_MODULE') return;
    const settings = stringValue(value);
    if (settings) this.addSettingsImport(settings, call);
  }

  private readDjangoSettingsAssignments(): void {
    if (!this.text.includes('DJANGO_SETTINGS_MODULE')) return;
    for (const assignment of this.root.descendantsOfType('assignment')) {
      const left = assignment.childForFieldName('left');
      if (left?.type !== 'subscript' || stringValue(left.childForFieldName('subscript')) !== 'DJANGO_SETTINGS_MODULE') continue;
      const settings = stringValue(assignment.childForFieldName('right'));
      if (settings) this.addSettingsImport(settings, assignment);
    }
  }

  private addSettingsImport(settings: string, node: Node): void {
    this.facts.imports.push({ fromModule: this.module, module: settings, alias: '', span: spanOf(node, this.file), scope: scopeOfNode(node, this.module) });
  }

  /** Django's LOGGING in a settings module: configured by django.setup() in every process that imports it. */
  private readDjangoLogging(): boolean {
    if (!this.text.includes('LOGGING') || !isSettingsModule(this.module, this.text)) return false;
    const loggingConfig = this.moduleValues.get('LOGGING_CONFIG');
    if (loggingConfig?.type === 'none') return false;
    const assigned = this.moduleValues.get('LOGGING');
    const mutations = mutationsOf(this.root, 'LOGGING', undefined, this.mutationIndex);
    if (!assigned && mutations.length === 0) return false;
    let value: PValue | undefined = assigned ? this.dictNamed('LOGGING', assigned) : undefined;
    // Split settings (`from .base import *` then `LOGGING['handlers']['file'] = {...}`): replay
    // the mutations on an empty dict; what they declare completely is reported here.
    if (!value && !assigned) value = applyMutations({ kind: 'map', entries: [], span: spanOf(this.root, this.file) }, mutations, this.file, this.lookup);
    if (!value) return false;
    const scope = moduleScope(this.module);
    const anchor = assigned?.parent ?? mutations[0].statement;
    this.facts.configLoads.push({ kind: 'django', span: spanOf(anchor, this.file), scope });
    this.emitDict(value, scope, (h) => `declared in Django LOGGING in ${this.module} (handlers.${h})`);
    this.configuredNames.add('LOGGING');
    return true;
  }

  // ---- dicts defined here, configured elsewhere ----------------------------------------------

  /**
   * A module-level log-config dict not passed to dictConfig here is configured by whoever imports
   * it (`from proj.logconf import LOGGING; dictConfig(LOGGING)`): its handlers are created in
   * that importer's scope, which the model links through the importer's ConfigLoad of this file.
   */
  private readStandaloneDicts(djangoDone: boolean): void {
    if (!/['"]handlers['"]/.test(this.text)) return;
    for (const [name, node] of this.moduleValues) {
      if (this.configuredNames.has(name) || (djangoDone && name === 'LOGGING') || name === 'logconfig_dict') continue;
      if (node.type !== 'dictionary') continue;
      const value = this.dictNamed(name, node);
      if (!value || !looksLikeDictConfig(value)) continue;
      this.emitDict(value, configScope(this.file), (h) => `declared in ${this.module}.${name} (handlers.${h}); created where it is passed to dictConfig`);
    }
  }
}

function isSettingsModuleCall(call: Node): boolean {
  const name = calleeName(call);
  return /environ\.setdefault$/.test(name) || /environ\.__setitem__$/.test(name);
}

export function isSettingsModule(module: string, text: string): boolean {
  return /(^|\.)settings($|\.)|(^|\.|_)settings$|^settings_/.test(module) || /^(INSTALLED_APPS|ROOT_URLCONF|MIDDLEWARE)\s*=/m.test(text);
}

/** `proj.logconf` → `proj/logconf.py` or `proj/logconf/__init__.py` (or under src/), relative to root. */
function moduleFile(module: string, root: string): string | undefined {
  const rel = module.replace(/\./g, '/');
  for (const candidate of [`${rel}.py`, `${rel}/__init__.py`, `src/${rel}.py`, `src/${rel}/__init__.py`]) {
    if (fs.existsSync(path.join(root, candidate))) return candidate;
  }
  return undefined;
}

/** `def configure(path="logging.yaml")`: the default of a parameter, when it has one. */
function parameterDefault(fn: Node, name: string): Node | undefined {
  for (const param of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (param.type !== 'default_parameter' && param.type !== 'typed_default_parameter') continue;
    if (param.childForFieldName('name')?.text === name) return param.childForFieldName('value') ?? undefined;
  }
  return undefined;
}
