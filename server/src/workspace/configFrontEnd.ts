/**
 * The config front-end (server/src/configs) as the engine sees it. Loaded lazily so that a
 * failure inside it (or its absence in a partial build) degrades to "Python only" instead of
 * taking the whole analysis down.
 */
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from '../model/facts';

interface ConfigFrontEnd {
  isConfigFile(file: string): boolean;
  readConfigFile(file: string, text: string, ctx: { workspaceRoot: string }): FileFacts;
  addPythonConfigFacts(root: Node, text: string, facts: FileFacts, ctx: { workspaceRoot: string }): void;
  trackNeighbourReads<T>(read: () => T): { value: T; reads: string[] };
}

let frontEnd: ConfigFrontEnd | null | undefined;

function load(): ConfigFrontEnd | null {
  if (frontEnd === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      frontEnd = require('../configs/index') as ConfigFrontEnd;
    } catch {
      frontEnd = null;
    }
  }
  return frontEnd;
}

export function isConfigFile(file: string): boolean {
  return load()?.isConfigFile(file) ?? false;
}

export function readConfigFile(file: string, text: string, ctx: { workspaceRoot: string }): FileFacts | undefined {
  return load()?.readConfigFile(file, text, ctx);
}

export function addPythonConfigFacts(root: Node, text: string, facts: FileFacts, ctx: { workspaceRoot: string }): void {
  load()?.addPythonConfigFacts(root, text, facts, ctx);
}

/** Runs a read and lists the neighbour files the config readers looked at meanwhile. */
export function trackNeighbourReads<T>(read: () => T): { value: T; reads: string[] } {
  const frontEnd = load();
  return frontEnd ? frontEnd.trackNeighbourReads(read) : { value: read(), reads: [] };
}
