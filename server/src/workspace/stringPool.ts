/**
 * One copy of each string in the facts the engine keeps.
 *
 * Facts repeat the same strings many times: every span names its file, every call its scope
 * (`func:pkg.mod@/root:f`) and qualified callee. Each front-end builds them by concatenation,
 * and facts that crossed from a worker thread arrive as fresh copies, so the Python stdlib's
 * facts held ~29 MB of duplicate text. Sharing them cuts the engine's heap by about a fifth.
 */
export class StringPool {
  private readonly pool = new Map<string, string>();

  /**
   * Replaces, in place, every string inside `value` (objects and arrays, any depth) by its pooled
   * copy. `common`, a string that most likely recurs (the facts' own file, named by every span),
   * is pooled once and then matched by comparison alone: a fifth of the stdlib's strings, which
   * would otherwise each be hashed in full for the pool's lookup.
   */
  internAll(value: unknown, common?: string): void {
    this.walk(value, common === undefined ? undefined : this.intern(common));
  }

  private walk(value: unknown, common: string | undefined): void {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (typeof item === 'string') value[i] = item === common ? common : this.intern(item);
        else if (item !== null && typeof item === 'object') this.walk(item, common);
      }
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const item = record[key];
      if (typeof item === 'string') record[key] = item === common ? common : this.intern(item);
      else if (item !== null && typeof item === 'object') this.walk(item, common);
    }
  }

  intern(s: string): string {
    const pooled = this.pool.get(s);
    if (pooled !== undefined) return pooled;
    this.pool.set(s, s);
    return s;
  }

  get size(): number {
    return this.pool.size;
  }
}
