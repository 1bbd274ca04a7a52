/** Logger names as `logging` relates them: dotted names under the root logger (`''`). */

/** Whether records of `logger` reach `ancestor`'s handlers by propagation (a strict ancestor). */
export function isAncestorLogger(ancestor: string, logger: string): boolean {
  if (ancestor === logger) return false;
  return ancestor === '' || logger.startsWith(ancestor + '.');
}

/** propagate=False on the logger or any logger between it and the ancestor stops the copy. */
export function ancestorChainBlocked(logger: string, ancestor: string, nonPropagating: ReadonlySet<string>): boolean {
  let current = logger;
  while (current && current !== ancestor) {
    if (nonPropagating.has(current)) return true;
    const dot = current.lastIndexOf('.');
    current = dot === -1 ? '' : current.slice(0, dot);
  }
  return false;
}
