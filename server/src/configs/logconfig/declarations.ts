/**
 * Handler declarations read from any log configuration (fileConfig ini, dictConfig dicts in
 * YAML / JSON / TOML / code, Django LOGGING, gunicorn logconfig_dict), before they become
 * HandlerSites. Keeping this step separate lets every syntax share the fact-building.
 */
import type { FileFacts, HandlerSite, HazardFact, LogPath, ScopeId, Span } from '../../model/facts';
import { handlerKindOf, takesFilename } from '../handlerClasses';

export interface HandlerDeclaration {
  /** The handler's name in the config (`file` of `[handler_file]` or `handlers: {file: ...}`). */
  name: string;
  /** Resolved dotted class name. */
  className: string;
  /** The `class` line / pair: where the diagnostic goes. */
  classSpan: Span;
  path?: LogPath;
  /**
   * Where a socket or queue handler sends records, as written (`host`, `port`, `queue`...):
   * two declarations with the same key send to the same destination.
   */
  sinkKey?: string;
}

export interface LogConfigDeclarations {
  handlers: HandlerDeclaration[];
  /** Logger name (`''` = root) → names of the handlers it uses. */
  loggers: Map<string, string[]>;
  /** Logger name → the line listing its handlers (where LF105 goes). */
  loggerSpans: Map<string, Span>;
  /** Loggers declared with `propagate: false` / `propagate=0`. */
  nonPropagating: Set<string>;
}

export function emptyDeclarations(): LogConfigDeclarations {
  return { handlers: [], loggers: new Map(), loggerSpans: new Map(), nonPropagating: new Set() };
}

/** Writes a config's declarations as facts: its handler sites and its propagation hazards. */
export function emitDeclarations(decls: LogConfigDeclarations, scope: ScopeId, describe: (handler: HandlerDeclaration) => string, facts: FileFacts): void {
  facts.handlers.push(...handlerSitesOf(decls, scope, describe));
  facts.hazards.push(...propagationHazards(decls, scope));
}

/**
 * LF105 inside one config: a logger that sends to a socket or queue and propagates to an
 * ancestor sending to the same destination (the same handler listed twice, or two handlers
 * with the same address): each record of the logger is sent twice.
 */
function propagationHazards(decls: LogConfigDeclarations, scope: ScopeId): HazardFact[] {
  const byName = new Map(decls.handlers.map((h) => [h.name, h]));
  const sinks = (logger: string) => (decls.loggers.get(logger) ?? []).map((name) => byName.get(name))
    .filter((h): h is HandlerDeclaration => !!h && SENDING_KINDS.has(handlerKindOf(h.className)));
  const hazards: HazardFact[] = [];
  for (const logger of decls.loggers.keys()) {
    if (logger === '') continue;
    for (const sink of sinks(logger)) {
      const same = (other: HandlerDeclaration) => other.name === sink.name || (!!sink.sinkKey && other.sinkKey === sink.sinkKey);
      // The nearest ancestor the records still reach.
      for (let child = logger, ancestor = parentLogger(logger); ancestor !== undefined; child = ancestor, ancestor = parentLogger(ancestor)) {
        if (decls.nonPropagating.has(child)) break;
        if (!decls.loggers.has(ancestor) || !sinks(ancestor).some(same)) continue;
        const where = ancestor === '' ? 'the root logger' : `'${ancestor}'`;
        const span = decls.loggerSpans.get(logger) ?? sink.classSpan;
        hazards.push({
          rule: 'LF105',
          span,
          scope,
          message: `Records of logger '${logger}' go to handler '${sink.name}' and also propagate to ${where}, which sends them to the same destination: every record is sent twice. Set \`propagate\` to false on '${logger}', or drop the handler from one of them.`,
          related: [{ span: decls.loggerSpans.get(ancestor) ?? sink.classSpan, message: `the same destination is attached to ${where} here` }],
        });
        break;
      }
    }
  }
  return hazards;
}

const SENDING_KINDS = new Set<HandlerSite['kind']>(['socket', 'queue']);

/** `a.b.c` → `a.b` → `a` → `''` (root) → undefined. */
function parentLogger(logger: string): string | undefined {
  if (logger === '') return undefined;
  const dot = logger.lastIndexOf('.');
  return dot < 0 ? '' : logger.slice(0, dot);
}

export function handlerSitesOf(
  decls: LogConfigDeclarations,
  scope: ScopeId,
  describe: (handler: HandlerDeclaration) => string,
): HandlerSite[] {
  return decls.handlers.map((h) => {
    const kind = handlerKindOf(h.className);
    const loggers = [...decls.loggers].filter(([, names]) => names.includes(h.name)).map(([logger]) => logger);
    const site: HandlerSite = {
      kind,
      className: h.className,
      span: h.classSpan,
      scope,
      origin: 'config',
      loggers,
      note: describe(h),
    };
    if (h.path && takesFilename(kind)) site.path = h.path;
    return site;
  });
}
