/**
 * Handler declarations read from any log configuration (fileConfig ini, dictConfig dicts in
 * YAML / JSON / TOML / code, Django LOGGING, gunicorn logconfig_dict), before they become
 * HandlerSites. Keeping this step separate lets every syntax share the fact-building.
 */
import type { HandlerSite, LogPath, ScopeId, Span } from '../../model/facts';
import { handlerKindOf, takesFilename } from '../handlerClasses';

export interface HandlerDeclaration {
  /** The handler's name in the config (`file` of `[handler_file]` or `handlers: {file: ...}`). */
  name: string;
  /** Resolved dotted class name. */
  className: string;
  /** The `class` line / pair: where the diagnostic goes. */
  classSpan: Span;
  path?: LogPath;
}

export interface LogConfigDeclarations {
  handlers: HandlerDeclaration[];
  /** Logger name (`''` = root) → names of the handlers it uses. */
  loggers: Map<string, string[]>;
}

export function emptyDeclarations(): LogConfigDeclarations {
  return { handlers: [], loggers: new Map() };
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
