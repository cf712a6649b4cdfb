/**
 * Translates the Go text/template subset that upstream Aegis templates use into Handlebars.
 *
 *   {{.x}} {{.x.y}} {{.}} {{$.x}}            → {{this.x}} {{this.x.y}} {{this}} {{@root.x}}
 *   {{if P}} {{else if P}} {{else}} {{end}}  → {{#if P}} {{else if P}} {{else}} {{/if}}   (likewise range → #each, with)
 *   {{- x -}}                                → {{~x~}}
 *   {{.x | quote}}  {{ .x | default "y" }}   → {{quote this.x}}  {{default "y" this.x}}   (pipe value goes last, as Go)
 *   {{eq .a "b"}} (nested: {{if eq .a "b"}}) → {{eq this.a "b"}}  {{#if (eq this.a "b")}}
 *   {{"text"}}                               → {{aegisLiteral "text"}}
 *   {{/* comment *\/}}                       → {{!-- comment --}}
 *
 * Fields become `this.`-paths so that a variable can never be mistaken for a helper of the same name. Actions that
 * contain no Go syntax (`{{node}}`, `{{#if x}}`, `{{shellquote node}}`, `{{!-- --}}`) are native Handlebars and
 * pass through unchanged. Go variables (`$x :=`, `range $i, $v :=`), `template`/`define`/`block`, `break` and
 * `continue` are refused with the construct and its line. Every action is recorded with its offsets in both texts
 * so that errors found later in the Handlebars text can be reported at the line of the original.
 */
import { goKeywords, isGoAction } from './go-action-syntax.js';
import { GoTemplateSyntaxError, lexAction, type ActionToken } from './go-template-lexer.js';
import { parseGoPipeline } from './parse-go-pipeline.js';
import { argumentExpression, outputExpression } from './pipeline-to-handlebars.js';

/** Where one action sits in the Go source and in the Handlebars output (offsets, end exclusive). */
export type TranslatedAction = {
  goStart: number;
  goEnd: number;
  handlebarsStart: number;
  handlebarsEnd: number;
};

export type TranslateResult =
  | { ok: true; handlebars: string; actions: TranslatedAction[] }
  | {
      ok: false;
      /** `problem (line N)`, line counted in the translated source. */
      message: string;
      problem: string;
      line: number;
      offset: number;
    };

type OpenBlock = { helper: string; offset: number; display: string; close: string };

const blockHelpers: Record<string, string> = { if: 'if', range: 'each', with: 'with' };

/** Line (1-based) of an offset in a text. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index >= 0 && index < offset; index = text.indexOf('\n', index + 1))
    line += 1;
  return line;
}

export function translateGoTemplate(source: string): TranslateResult {
  try {
    return { ok: true, ...new Translator(source).run() };
  } catch (error) {
    if (!(error instanceof GoTemplateSyntaxError)) throw error;
    const line = lineAt(source, error.offset);
    return {
      ok: false,
      message: `${error.problem} (line ${line})`,
      problem: error.problem,
      line,
      offset: error.offset,
    };
  }
}

class Translator {
  private output = '';
  private readonly actions: TranslatedAction[] = [];
  private readonly open: OpenBlock[] = [];

  constructor(private readonly source: string) {}

  run(): { handlebars: string; actions: TranslatedAction[] } {
    let index = 0;
    for (;;) {
      const start = this.source.indexOf('{{', index);
      if (start < 0) break;
      const content = this.source.slice(index, start);
      // Go prints a backslash before an action; Handlebars would read `\{{` as an escaped, literal `{{`.
      this.output += content.endsWith('\\') ? `${content}\\` : content;
      index = this.action(start);
    }
    this.output += this.source.slice(index);
    const unclosed = this.open.at(-1);
    if (unclosed) {
      throw new GoTemplateSyntaxError(
        `${unclosed.display} is never closed (add ${unclosed.close})`,
        unclosed.offset,
      );
    }
    return { handlebars: this.output, actions: this.actions };
  }

  /** Translates the action at `start` and returns the offset after it. */
  private action(start: number): number {
    const source = this.source;
    if (source.startsWith('{{{{', start)) {
      throw new GoTemplateSyntaxError('raw blocks ({{{{raw}}}}) are not supported', start);
    }
    if (source.startsWith('{{{', start)) return this.passThrough(start, this.findEnd(start, '}}}'));
    const goTrimLeft = /^\{\{-\s/.test(source.slice(start, start + 4));
    const handlebarsTrimLeft = source.startsWith('{{~', start);
    const bodyStart = start + (goTrimLeft ? 3 : handlebarsTrimLeft ? 3 : 2);
    const afterSpace = goTrimLeft ? source.slice(bodyStart).search(/\S/) + bodyStart : bodyStart;
    if (source.startsWith('!--', bodyStart)) return this.passThrough(start, this.findEnd(start, '--}}'));
    if (source.startsWith('!', bodyStart)) return this.passThrough(start, this.findEnd(start, '}}'));
    if (source.startsWith('/*', afterSpace)) return this.comment(start, afterSpace, goTrimLeft);
    const lexed = lexAction(source, bodyStart);
    const first = lexed.tokens[0];
    const firstWord = first?.kind === 'word' ? first.text : undefined;
    if (firstWord !== undefined && /^[#/^]/.test(firstWord)) {
      this.trackNativeBlock(firstWord, start);
      return this.passThrough(start, lexed.end);
    }
    if (!goTrimLeft && !lexed.goTrimRight && !isGoAction(lexed.tokens))
      return this.passThrough(start, lexed.end);
    if (lexed.tokens.length === 0) throw new GoTemplateSyntaxError('empty action {{ }}', start);
    const body = this.goAction(lexed.tokens, start);
    const open = goTrimLeft || handlebarsTrimLeft ? '{{~' : '{{';
    const close = lexed.goTrimRight || lexed.handlebarsTrimRight ? '~}}' : '}}';
    return this.emit(start, lexed.end, open + body, close);
  }

  private findEnd(start: number, terminator: string): number {
    const end = this.source.indexOf(terminator, start + 2);
    if (end < 0) throw new GoTemplateSyntaxError(`unclosed action: "${terminator}" is missing`, start);
    return end + terminator.length;
  }

  private passThrough(start: number, end: number): number {
    const text = this.source.slice(start, end);
    this.record(start, end, text);
    return end;
  }

  private comment(start: number, commentStart: number, goTrimLeft: boolean): number {
    const close = this.source.indexOf('*/', commentStart + 2);
    if (close < 0) throw new GoTemplateSyntaxError('unclosed comment: "*/" is missing', start);
    const rest = /^(\s-)?\}\}/.exec(this.source.slice(close + 2));
    if (!rest) throw new GoTemplateSyntaxError('a comment must end with "*/}}"', close);
    const text = this.source.slice(commentStart + 2, close).replaceAll('--', '- -');
    const open = goTrimLeft ? '{{~!--' : '{{!--';
    const end = close + 2 + rest[0].length;
    return this.emit(start, end, `${open}${text}`, rest[1] ? '--~}}' : '--}}');
  }

  /** Appends a translated action, padded with newlines so it spans at least as many lines as the original. */
  private emit(start: number, end: number, body: string, close: string): number {
    const missing = count(this.source.slice(start, end), '\n') - count(body + close, '\n');
    this.record(start, end, body + '\n'.repeat(Math.max(0, missing)) + close);
    return end;
  }

  private record(goStart: number, goEnd: number, text: string): void {
    const handlebarsStart = this.output.length;
    this.output += text;
    this.actions.push({ goStart, goEnd, handlebarsStart, handlebarsEnd: this.output.length });
  }

  private trackNativeBlock(word: string, offset: number): void {
    const name = word.slice(1);
    if (word.startsWith('#'))
      this.open.push({ helper: name, offset, display: `{{#${name}}}`, close: `{{/${name}}}` });
    else if (this.open.at(-1)?.helper === name) this.open.pop();
  }

  private goAction(tokens: ActionToken[], start: number): string {
    const declaration = tokens.find((token) => token.kind === 'declare' || token.kind === 'assign');
    const first = tokens[0];
    const keyword = first?.kind === 'word' && goKeywords.has(first.text) ? first.text : undefined;
    if (declaration) {
      const construct =
        keyword === 'range' ? 'range with variables ({{range $i, $v := …}})' : 'variables ($x := …)';
      throw new GoTemplateSyntaxError(
        `${construct} are not supported; use {{range .items}} and {{.}}`,
        start,
      );
    }
    switch (keyword) {
      case 'if':
      case 'range':
      case 'with': {
        const condition = this.condition(tokens.slice(1), keyword, start);
        const helper = blockHelpers[keyword] ?? keyword;
        this.open.push({ helper, offset: start, display: `{{${keyword}}}`, close: '{{end}}' });
        return `#${helper} ${condition}`;
      }
      case 'else':
        return this.elseAction(tokens.slice(1), start);
      case 'end': {
        if (tokens.length > 1) throw new GoTemplateSyntaxError('{{end}} takes no arguments', start);
        const block = this.open.pop();
        if (!block)
          throw new GoTemplateSyntaxError('{{end}} without a matching {{if}}, {{range}} or {{with}}', start);
        return `/${block.helper}`;
      }
      case 'define':
      case 'template':
      case 'block':
        throw new GoTemplateSyntaxError(
          `{{${keyword}}} is not supported: an ops template is one document without named sub-templates`,
          start,
        );
      case 'break':
      case 'continue':
        throw new GoTemplateSyntaxError(`{{${keyword}}} is not supported`, start);
      default:
        return outputExpression(parseGoPipeline(tokens, start));
    }
  }

  private elseAction(rest: ActionToken[], start: number): string {
    const block = this.open.at(-1);
    if (!block) throw new GoTemplateSyntaxError('{{else}} outside {{if}}, {{range}} or {{with}}', start);
    const next = rest[0];
    if (next === undefined) return 'else';
    if (next.kind === 'word' && (next.text === 'if' || next.text === 'with')) {
      const helper = next.text;
      if (block.helper !== helper) {
        throw new GoTemplateSyntaxError(`{{else ${helper}}} inside ${block.display} is not supported`, start);
      }
      return `else ${helper} ${this.condition(rest.slice(1), helper, start)}`;
    }
    throw new GoTemplateSyntaxError('{{else}} takes no arguments (did you mean {{else if …}}?)', start);
  }

  private condition(tokens: ActionToken[], keyword: string, start: number): string {
    if (tokens.length === 0) throw new GoTemplateSyntaxError(`missing value for {{${keyword}}}`, start);
    return argumentExpression(parseGoPipeline(tokens, start));
  }
}

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}
