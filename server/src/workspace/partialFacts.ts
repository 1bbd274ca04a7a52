/**
 * The facts of a partly parsed file (python/partialParse.ts): the parser's, from the statements
 * that matter and the stubs of the rest, joined by the line scan's, from the bodies left out.
 */
import { FileFacts, functionScope, LINE_SCANNED_BODY, ScopeId } from '../model/facts';
import { moduleKey, ModuleLocation, renameScopes } from '../model/program';
import { lightScan } from '../python/lightFacts';

/**
 * Adds the line scan of `scanned` (the left-out statements and top-level imports, every other
 * line emptied; partialParse.ts) to the parser's facts, keyed already (keyScopes ran).
 * Everything the scan finds is inside a function or class, so it belongs to the shared body:
 * imports there run when the body runs, not at import of the module, and so do log calls.
 */
export function addLeftOutStatements(facts: FileFacts, scanned: string, location: ModuleLocation): void {
  const key = moduleKey(location.module, location.importRoot);
  const body = functionScope(key, LINE_SCANNED_BODY);
  const { facts: scannedFacts } = lightScan(scanned, facts.file, location.module, location.isPackageInit, key);
  // The top-level imports are the parser's too (the scan reads them to resolve its calls). An
  // indented one is a left-out body's, or a kept `try:` block's, which the body importing it
  // again changes nothing for.
  for (const fact of scannedFacts.imports) if (fact.span.start.character > 0) facts.imports.push({ ...fact, scope: body });
  // A left-out function or class is a stub in the parser's text (its name, parameters, bases):
  // the stub's entry stays, running as the shared body; the scan adds what it nests.
  const parsedClasses = new Set(facts.classes.map((c) => c.qualname));
  for (const c of scannedFacts.classes) if (!parsedClasses.has(c.qualname)) facts.classes.push(c);
  // What the parser saw run in a stub's scope (`run_shard = deco(run_shard)` links the stub
  // to the wrapper) runs in the body now.
  const parsedFunctions = new Map(facts.functions.map((f) => [f.qualname, f.scope]));
  const stubScopes = new Map<ScopeId, ScopeId>();
  for (const f of scannedFacts.functions) {
    const stub = parsedFunctions.get(f.qualname);
    if (stub !== undefined) stubScopes.set(stub, body);
  }
  if (stubScopes.size > 0) renameScopes(facts, (scope) => stubScopes.get(scope) ?? scope);
  for (const f of scannedFacts.functions) if (!parsedFunctions.has(f.qualname)) facts.functions.push(f);
  for (const call of scannedFacts.calls) facts.calls.push({ ...call, from: body });
  for (const log of scannedFacts.logCalls) if (log.scope === body) facts.logCalls.push(log);
}
