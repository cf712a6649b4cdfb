/**
 * The parse tree of a Go text/template, as `text/template/parse` builds it: text, actions, `if`/`with`/`range`
 * with their `else` lists (`{{else if}}` is an `if` inside the `else` list, as in Go), `break`/`continue`.
 * Every node that can fail at run time carries the offset of its `{{` in the source.
 */

/** An operand of a command. `names` are the fields read after it (`.a.b`, `$x.a`, `(pipeline).a`). */
export type GoOperand =
  | { kind: 'field'; names: string[]; offset: number }
  | { kind: 'variable'; name: string; names: string[]; offset: number }
  | { kind: 'function'; name: string; offset: number }
  | { kind: 'string'; value: string; offset: number }
  | { kind: 'number'; value: number; float: boolean; text: string; offset: number }
  | { kind: 'bool'; value: boolean; offset: number }
  | { kind: 'nil'; offset: number }
  | { kind: 'pipeline'; pipeline: GoPipeline; names: string[]; offset: number };

export type GoCommand = { operands: GoOperand[]; offset: number };

export type GoPipeline = {
  /** Variables declared (`$x :=`, `$i, $v :=`) or assigned (`$x =`). */
  declarations: string[];
  assign: boolean;
  commands: GoCommand[];
  offset: number;
};

/** `{{if}}`, `{{with}}` or `{{range}}` with its body and `{{else}}` list. */
export type GoControlNode = {
  kind: 'if' | 'with' | 'range';
  pipeline: GoPipeline;
  list: GoNode[];
  elseList: GoNode[] | undefined;
  offset: number;
};

export type GoNode =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipeline: GoPipeline; offset: number }
  | GoControlNode
  | { kind: 'break' | 'continue'; offset: number };
