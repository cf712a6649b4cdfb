/**
 * Runs a parsed Go template (see `parse-go-template.ts`) over data, as Go's `text/template` executes it:
 * fields of maps, variables and `$`, pipelines (the previous value is the last argument), lazy `and`/`or`,
 * `if`/`with`/`range` with `else`, `range` over lists and maps (sorted keys) with `$i, $v`, `break`/`continue`.
 *
 * `missingKey` is Go's option: `error` (a missing map key stops the run) or `default` (it reads as no value).
 * `lenient` is Aegis' ops mode: `error`, except in the pipeline of `if`/`with`/`range` and in the arguments of
 * the functions listed in `lenientFunctions` (`default`), where a missing key reads as no value.
 * Printing goes through `emit`, so the ops layer can check what an alert value would substitute.
 */
import type { GoFunction } from './go-template-builtins.js';
import type { GoCommand, GoControlNode, GoNode, GoOperand, GoPipeline } from './go-template-tree.js';
import {
  compareKeys,
  formatValue,
  GoExecutionError,
  GoFloat,
  isMap,
  Placeholder,
  plain,
  TrustedText,
  truth as isTrue,
  typeName,
} from './go-template-values.js';

/** Where a value comes from, for messages: `node`, `Alert.spec.type`, `$x`. */
export type ValueSite = { variable: string; go: string };

export type ExecuteOptions = {
  missingKey: 'error' | 'default' | 'lenient';
  functions: ReadonlyMap<string, GoFunction>;
  lenientFunctions?: ReadonlySet<string>;
  /** Validation: every variable reads as a placeholder. */
  validate?: boolean;
  emit(value: unknown, site: ValueSite): string;
  /** Called before an action's pipeline runs, with the value it reads first (for the functions' messages). */
  enter?(site: ValueSite): void;
};

/** A missing map key (missingkey=error). `path` is the field path read, without the leading dot. */
export class MissingKeyError extends GoExecutionError {
  constructor(
    readonly key: string,
    readonly path: string,
  ) {
    super(`map has no entry for key "${key}"`);
  }
}

/** A failure with the offset of the action (`{{`) in the source where it happened. */
export class GoTemplateRunError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly offset: number,
    readonly site: ValueSite,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'GoTemplateRunError';
  }
}

/** Thrown by `{{break}}`/`{{continue}}` and caught by the enclosing range. */
class LoopControl extends Error {
  constructor(readonly kind: 'break' | 'continue') {
    super(`{{${kind}}}`);
  }
}

const noFinal = Symbol('no final value');
/** Runs longer than this many steps are stopped (a template is small; this only bounds pathological input). */
const maxSteps = 1_000_000;

export function executeGoTemplate(nodes: GoNode[], data: unknown, options: ExecuteOptions): string {
  return new Execution(data, options).run(nodes);
}

class Execution {
  private output = '';
  private readonly variables: Array<{ name: string; value: unknown }>;
  private steps = 0;

  constructor(
    data: unknown,
    private readonly options: ExecuteOptions,
  ) {
    this.variables = [{ name: '$', value: data }];
  }

  run(nodes: GoNode[]): string {
    this.walk(nodes, this.variables[0]?.value);
    return this.output;
  }

  private walk(nodes: GoNode[], dot: unknown): void {
    for (const node of nodes) {
      this.steps += 1;
      if (this.steps > maxSteps)
        throw new GoTemplateRunError(
          new GoExecutionError('the template runs too long'),
          0,
          siteOf(undefined),
        );
      switch (node.kind) {
        case 'text':
          this.output += node.text;
          break;
        case 'action':
          this.at(node.offset, node.pipeline, () => {
            const value = this.pipeline(dot, node.pipeline, false);
            if (node.pipeline.declarations.length === 0)
              this.output += this.options.emit(value, siteOf(node.pipeline));
          });
          break;
        case 'if':
        case 'with':
          this.conditional(node, dot);
          break;
        case 'range':
          this.range(node, dot);
          break;
        case 'break':
        case 'continue':
          throw new LoopControl(node.kind);
      }
    }
  }

  /** Runs `body`, giving any failure the action's offset and site. */
  private at<T>(offset: number, pipeline: GoPipeline | undefined, body: () => T): T {
    this.options.enter?.(siteOf(pipeline));
    try {
      return body();
    } catch (error) {
      if (error instanceof GoTemplateRunError || error instanceof LoopControl) throw error;
      throw new GoTemplateRunError(error, offset, siteOf(pipeline));
    }
  }

  private conditional(node: GoControlNode, dot: unknown): void {
    const mark = this.variables.length;
    const value = this.at(node.offset, node.pipeline, () => this.pipeline(dot, node.pipeline, true));
    if (isTrue(value)) this.walk(node.list, node.kind === 'with' ? value : dot);
    else if (node.elseList) this.walk(node.elseList, dot);
    this.variables.length = mark;
  }

  private range(node: GoControlNode, dot: unknown): void {
    const mark = this.variables.length;
    const value = plain(this.at(node.offset, node.pipeline, () => this.pipeline(dot, node.pipeline, true)));
    const entries: Array<[unknown, unknown]> = [];
    if (value instanceof Placeholder) entries.push([0, value]);
    else if (Array.isArray(value)) value.forEach((item, position) => entries.push([position, item]));
    else if (isMap(value)) {
      for (const key of Object.keys(value).sort(compareKeys)) entries.push([key, value[key]]);
    } else if (value !== undefined && value !== null) {
      this.at(node.offset, node.pipeline, () => {
        throw new GoExecutionError(`range can't iterate over ${formatValue(value)}`);
      });
    }
    const [first, second] = node.pipeline.declarations;
    const bodyMark = this.variables.length;
    for (const [key, item] of entries) {
      if (second !== undefined) {
        this.setLocal(bodyMark, 1, first ?? '$', key);
        this.setLocal(bodyMark, 0, second, item);
      } else if (first !== undefined) this.setLocal(bodyMark, 0, first, item);
      try {
        this.walk(node.list, item);
      } catch (error) {
        if (!(error instanceof LoopControl)) throw error;
        this.variables.length = bodyMark;
        if (error.kind === 'break') break;
        continue;
      }
      this.variables.length = bodyMark;
    }
    if (entries.length === 0 && node.elseList) this.walk(node.elseList, dot);
    this.variables.length = mark;
  }

  /** Sets a range variable (declared by the range pipeline, just below `mark`). */
  private setLocal(mark: number, fromTop: number, name: string, value: unknown): void {
    const slot = this.variables[mark - 1 - fromTop];
    if (slot && slot.name === name) slot.value = value;
  }

  private pipeline(dot: unknown, pipeline: GoPipeline, condition: boolean): unknown {
    let value: unknown = noFinal;
    pipeline.commands.forEach((command) => {
      value = this.command(dot, command, value, condition);
      this.steps += 1;
    });
    for (const name of pipeline.declarations) {
      if (pipeline.assign) {
        const slot = [...this.variables].reverse().find((variable) => variable.name === name);
        if (!slot) throw new GoExecutionError(`undefined variable: ${name}`);
        slot.value = value;
      } else this.variables.push({ name, value });
    }
    return value;
  }

  private lenient(condition: boolean): boolean {
    return this.options.missingKey === 'default' || (this.options.missingKey === 'lenient' && condition);
  }

  private command(dot: unknown, command: GoCommand, final: unknown, condition: boolean): unknown {
    const [first, ...rest] = command.operands;
    if (!first) throw new GoExecutionError('missing command');
    if (first.kind === 'function') return this.call(dot, first.name, rest, final, condition);
    if (first.kind === 'nil') throw new GoExecutionError('nil is not a command');
    if (rest.length > 0 || final !== noFinal) {
      const name = first.kind === 'field' ? `.${first.names.join('.')}` : first.kind;
      if (first.kind === 'field' && first.names.length > 0)
        throw new GoExecutionError(`${first.names.at(-1) ?? ''} is not a method but has arguments`);
      throw new GoExecutionError(`can't give argument to non-function ${name}`);
    }
    return this.operand(dot, first, condition);
  }

  private call(
    dot: unknown,
    name: string,
    operands: GoOperand[],
    final: unknown,
    condition: boolean,
  ): unknown {
    const fn = this.options.functions.get(name);
    if (!fn) throw new GoExecutionError(`"${name}" is not a defined function`);
    const count = operands.length + (final === noFinal ? 0 : 1);
    if (count < fn.minimum || count > fn.maximum) {
      throw new GoExecutionError(
        fn.maximum === Infinity
          ? `wrong number of args for ${name}: want at least ${fn.minimum} got ${count}`
          : `wrong number of args for ${name}: want ${fn.minimum} got ${count}`,
      );
    }
    const argumentCondition = condition || (this.options.lenientFunctions?.has(name) ?? false);
    const evaluate = (operand: GoOperand): unknown => this.operand(dot, operand, argumentCondition);
    if (name === 'and' || name === 'or') {
      // Go 1.18+: evaluated left to right, stopping at the first argument that decides.
      let value: unknown;
      const values = [...operands.map((operand) => () => evaluate(operand))];
      if (final !== noFinal) values.push(() => final);
      for (const next of values) {
        value = next();
        if (isTrue(value) === (name === 'or')) return value;
      }
      return value;
    }
    const values = operands.map(evaluate);
    if (final !== noFinal) values.push(final);
    try {
      return fn.call(values);
    } catch (error) {
      if (this.options.validate && values.some((value) => plain(value) instanceof Placeholder))
        return Placeholder.instance;
      throw error;
    }
  }

  private operand(dot: unknown, operand: GoOperand, condition: boolean): unknown {
    switch (operand.kind) {
      case 'field':
        return this.fields(dot, operand.names, '', condition);
      case 'variable': {
        const slot = [...this.variables].reverse().find((variable) => variable.name === operand.name);
        if (!slot) throw new GoExecutionError(`undefined variable: ${operand.name}`);
        return this.fields(slot.value, operand.names, operand.name === '$' ? '' : operand.name, condition);
      }
      case 'pipeline':
        return this.fields(this.pipeline(dot, operand.pipeline, condition), operand.names, '', condition);
      case 'function':
        return this.call(dot, operand.name, [], noFinal, condition);
      case 'string':
        return new TrustedText(operand.value, true);
      case 'number':
        return operand.float ? new GoFloat(operand.value) : operand.value;
      case 'bool':
        return operand.value;
      case 'nil':
        return null;
    }
  }

  /** Reads `names` one after the other from `receiver`, as Go's evalFieldChain. */
  private fields(receiver: unknown, names: string[], prefix: string, condition: boolean): unknown {
    let current = receiver;
    const path: string[] = prefix === '' ? [] : [prefix];
    for (const name of names) {
      path.push(name);
      const value = plain(current);
      if (value instanceof Placeholder) return value;
      if (value === undefined) {
        if (this.options.validate) return Placeholder.instance;
        if (this.lenient(condition)) continue;
        throw new MissingKeyError(name, path.join('.'));
      }
      if (value === null) {
        if (this.options.validate) return Placeholder.instance;
        throw new GoExecutionError(`nil pointer evaluating interface {}.${name}`);
      }
      if (!isMap(value))
        throw new GoExecutionError(`can't evaluate field ${name} in type ${typeName(value)}`);
      if (Object.prototype.hasOwnProperty.call(value, name)) current = value[name];
      else if (this.options.validate) return Placeholder.instance;
      else if (this.lenient(condition)) current = undefined;
      else throw new MissingKeyError(name, path.join('.'));
    }
    return current;
  }
}

/** The first field or variable an action reads, for messages. */
function siteOf(pipeline: GoPipeline | undefined): ValueSite {
  const operand = pipeline === undefined ? undefined : firstReference(pipeline);
  if (!operand) return { variable: 'value', go: '.' };
  if (operand.kind === 'field') {
    const variable = operand.names.join('.') || '.';
    return { variable, go: `.${operand.names.join('.')}` };
  }
  if (operand.kind === 'variable') {
    const spelled = [operand.name, ...operand.names].join('.');
    return { variable: operand.name === '$' ? operand.names.join('.') || '$' : spelled, go: spelled };
  }
  return { variable: 'value', go: '.' };
}

function firstReference(pipeline: GoPipeline): GoOperand | undefined {
  for (const command of pipeline.commands) {
    for (const operand of command.operands) {
      if (operand.kind === 'field' || operand.kind === 'variable') return operand;
      if (operand.kind === 'pipeline') {
        const inner = firstReference(operand.pipeline);
        if (inner) return inner;
      }
    }
  }
  return undefined;
}
