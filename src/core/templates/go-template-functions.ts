/** The functions templates may call (Go name = Handlebars helper name). */
export const templateFunctions: ReadonlySet<string> = new Set([
  'and',
  'default',
  'eq',
  'ge',
  'gt',
  'index',
  'keep',
  'le',
  'len',
  'lt',
  'ne',
  'not',
  'or',
  'quote',
  'shellquote',
]);
