/** What the gunicorn and Celery readers need from the module being read. */
import type { Node } from '../../python/parser';
import type { ScopeId } from '../../model/facts';
import type { PValue } from '../pvalue';
import type { NameLookup } from './syntax';

export interface PythonModuleView {
  readonly moduleName: string;
  readonly file: string;
  readonly lookup: NameLookup;
  /** The right-hand side of the last module-level `name = ...`. */
  moduleValue(name: string): Node | undefined;
  /** The dict a name holds at `at`, with its mutations replayed. */
  dictNamed(name: string, at: Node): PValue | undefined;
  /** Functions defined at module level with one of these names (decorated or not). */
  topLevelFunctions(names: string[]): { name: string; node: Node; decorators: Node[] }[];
  /** Names among these bound at module level by `from m import x` (or `... import y as x`), with the statement. */
  importedNames(names: string[]): { name: string; statement: Node }[];
  /** Reports the handlers of a dictConfig-shaped value as created in `scope`. */
  emitDict(value: PValue, scope: ScopeId, describe: (handlerName: string) => string): void;
}
