/**
 * Fix offers → LSP code actions. Protocol only: the offers were computed with the diagnostics
 * (server/src/fixes); a code action request is a lookup by the id kept in `diagnostic.data`.
 */
import {
  CodeAction, CodeActionKind, Command, CreateFile, Diagnostic, OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit, WorkspaceEdit,
} from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { CLIENT_COMMANDS, type AddRuntimeArgs } from '../../../common/protocol';
import { fixAllChoice, mergeOffers, preferredOffer } from '../fixes/index';
import type { FixEdit, FixOffer, FixStrategy } from '../fixes/types';

export const FIX_ALL_KIND = 'source.fixAll.logfunnel';

/** What a diagnostic carries: an id into the offers of the analysis that published it. */
export interface DiagnosticFixData {
  fixId: string;
}

export function quickFixes(diagnostic: Diagnostic, offers: FixOffer[], preferred: FixStrategy, resourceOps: boolean, clientCommands: readonly string[] = []): CodeAction[] {
  const best = preferredOffer(offers, preferred);
  return offers.map((offer) => ({
    title: offer.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: offer === best && (offer.strategy === preferred || offer.safety === 'safe'),
    // For clients and tests: which strategy and safety class this action is (no resolve step).
    data: { strategy: offer.strategy, safety: offer.safety, note: offer.note },
    ...editAndCommand(offer.edits, resourceOps, clientCommands),
  }));
}

/**
 * The action's edit, and the client's `logfunnel.addRuntime` command in place of the vendored
 * package's CreateFile edits when the client announced it (initializationOptions.clientCommands):
 * VS Code would open every created file as a tab, the command copies the package quietly. The
 * edit is applied before the command runs, so the `import logfunnel` lands first either way.
 */
export function editAndCommand(edits: FixEdit[], resourceOps: boolean, clientCommands: readonly string[]): { edit: WorkspaceEdit; command?: Command } {
  const vendorRoot = edits.map((e) => (e.create ? e.vendorRoot : undefined)).find((root) => root !== undefined);
  if (!vendorRoot || !clientCommands.includes(CLIENT_COMMANDS.addRuntime)) return { edit: workspaceEdit(edits, resourceOps) };
  const args: AddRuntimeArgs = { folderUri: URI.file(vendorRoot).toString(), method: 'vendor' };
  return {
    edit: workspaceEdit(edits.filter((e) => !(e.create && e.vendorRoot)), resourceOps),
    command: { title: 'logfunnel: Add the runtime library to the workspace', command: CLIENT_COMMANDS.addRuntime, arguments: [args] },
  };
}

/** Every finding's preferred offer when it is safe, merged without overlaps (Ruff's fix-all). */
export function fixAll(offerLists: FixOffer[][], preferred: FixStrategy, resourceOps: boolean, clientCommands: readonly string[] = []): CodeAction | undefined {
  const chosen: FixOffer[] = [];
  for (const offers of offerLists) {
    const safe = fixAllChoice(offers, preferred);
    if (safe) chosen.push(safe);
  }
  const { edits } = mergeOffers(chosen);
  if (!edits.length) return undefined;
  return { title: 'logfunnel: Fix all safe problems', kind: FIX_ALL_KIND, ...editAndCommand(edits, resourceOps, clientCommands) };
}

/**
 * `documentChanges` (file creations first, then one TextDocumentEdit per file) when the client
 * supports resource operations; plain `changes` otherwise (creations cannot be expressed then,
 * so they are left out and the offer's note says how to get the package).
 */
export function workspaceEdit(edits: FixEdit[], resourceOps: boolean): WorkspaceEdit {
  const byUri = new Map<string, TextEdit[]>();
  const creates: (CreateFile | TextDocumentEdit)[] = [];
  for (const e of edits) {
    const uri = URI.file(e.file).toString();
    if (e.create) {
      if (!resourceOps) continue;
      creates.push(CreateFile.create(uri, { ignoreIfExists: true }));
      creates.push(TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(uri, null), [TextEdit.insert({ line: 0, character: 0 }, e.text)]));
      continue;
    }
    const list = byUri.get(uri) ?? [];
    list.push(TextEdit.replace(e.range, e.newText));
    byUri.set(uri, list);
  }
  if (!resourceOps) return { changes: Object.fromEntries(byUri) };
  const documentChanges: (CreateFile | TextDocumentEdit)[] = [...creates];
  for (const [uri, list] of byUri) documentChanges.push(TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(uri, null), list));
  return { documentChanges };
}
