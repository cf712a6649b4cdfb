/**
 * A problem found while compiling or rendering one templated string. `problem` is the sentence without a line;
 * the renderer adds the line of the manifest. Thrown by helpers (so rendering stops at the first problem) and
 * caught by the compiler and the renderer; it never leaves this folder.
 */
export type TemplateFailureReason = 'TemplateInvalid' | 'TemplateUnsafe';

export class TemplateProblem extends Error {
  constructor(
    readonly reason: TemplateFailureReason,
    readonly problem: string,
    readonly details: {
      variable?: string;
      /** Position in the Handlebars text (line 1-based, column 0-based), when known. */
      handlebarsLine?: number;
      handlebarsColumn?: number;
    } = {},
  ) {
    super(problem);
    this.name = 'TemplateProblem';
  }
}
