/** Where each rule's documentation page lives (linked from diagnostics' codeDescription). */
export const DOCS_BASE = 'https://github.com/logfunnel/logfunnel/blob/main/docs/rules/';

export function ruleDocUrl(rule: string): string {
  return `${DOCS_BASE}${rule}.md`;
}
