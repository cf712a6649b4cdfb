/**
 * Renders an AegisOpsTemplate manifest into an Argo Workflow, safely by construction:
 *
 * 1. The manifest is parsed as YAML first (after `quote-template-scalars.ts` quotes `key: {{.x}}` values), so its
 *    structure is fixed before any variable is seen.
 * 2. Each string value that contains `{{` is rendered on its own (Go syntax translated, Handlebars with every
 *    variable read and substitution guarded, see `guard-template-ast.ts`). A value can only ever become (part of)
 *    one string; a value that would be substituted raw with characters outside the safe set stops the render
 *    with `TemplateUnsafe` (see `shell-safety.ts`). Map keys may not contain templates.
 * 3. The document is rebuilt as data, checked to be an Argo Workflow and printed again.
 *
 * Nothing here throws: every problem is a result with the manifest line of the expression at fault. Parsed
 * manifests and compiled strings are cached, so rendering the same template again only runs the templates.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  Scalar,
  stringify,
  visit,
  type Document,
  type YAMLError,
} from 'yaml';
import { workflowDigest } from './canonical-digest.js';
import {
  actionAt,
  compileTemplateString,
  type CompiledTemplateString,
  type StringTemplateFailure,
} from './compile-template-string.js';
import { quoteTemplateScalars } from './quote-template-scalars.js';
import type { TemplateFailureReason } from './template-problem.js';
import type { TemplateVariables } from './template-variables.js';
import { workflowScripts, workflowShapeProblem } from './workflow-shape.js';

export type RenderResult =
  | {
      ok: true;
      workflow: Record<string, unknown>;
      /** The workflow as YAML (YAML 1.1-safe quoting, no line folding). */
      yaml: string;
      /** What will run: each container's command line, each script source, each resource manifest. */
      scripts: string[];
      /** sha256 (hex) of the workflow's canonical JSON: what is approved is what runs. */
      digest: string;
    }
  | { ok: false; reason: TemplateFailureReason; message: string; line?: number; variable?: string };

type Failure = Extract<RenderResult, { ok: false }>;

/** Largest manifest accepted (an AegisOpsTemplate is a Kubernetes object, itself limited to about 1.5 MiB). */
export const maxManifestLength = 1024 * 1024;
const maxAliases = 1000;

type Prepared = {
  text: string;
  lineCounter: LineCounter;
  document: Document;
  quotedOffsets: ReadonlySet<number>;
  templates: Map<Scalar, CompiledTemplateString>;
};

class RenderFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

/** Renders `manifest` with `variables`. Never throws. */
export function renderOpsTemplate(manifest: string, variables: TemplateVariables): RenderResult {
  return run(manifest, variables, false);
}

/**
 * Checks a template without an alert, for the template reconciler: the YAML parses, every templated string
 * compiles, and rendering with every variable defined (as a placeholder) gives an Argo Workflow.
 */
export function validateOpsTemplate(
  manifest: string,
): { ok: true } | { ok: false; message: string; line?: number } {
  const result = run(manifest, {}, true);
  if (result.ok) return { ok: true };
  return result.line === undefined
    ? { ok: false, message: result.message }
    : { ok: false, message: result.message, line: result.line };
}

function run(manifest: string, variables: TemplateVariables, validate: boolean): RenderResult {
  try {
    const prepared = prepare(manifest);
    const converted = new Converter(prepared, variables, validate).value(prepared.document.contents);
    const workflow = JSON.parse(JSON.stringify(converted ?? null)) as unknown;
    const shape = workflowShapeProblem(workflow);
    if (shape)
      throw new RenderFailure(failure('TemplateInvalid', shape.problem, lineOfPath(prepared, shape.path)));
    const object = workflow as Record<string, unknown>; // checked to be a mapping just above
    return {
      ok: true,
      workflow: object,
      yaml: stringify(object, { lineWidth: 0, version: '1.1' }),
      scripts: workflowScripts(object),
      digest: workflowDigest(object),
    };
  } catch (error) {
    if (error instanceof RenderFailure) return error.failure;
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      reason: 'TemplateInvalid',
      message: `the template could not be rendered: ${message}`,
    };
  }
}

function failure(reason: TemplateFailureReason, problem: string, line?: number, variable?: string): Failure {
  const result: Failure = {
    ok: false,
    reason,
    message: line === undefined ? problem : `${problem} (line ${line})`,
  };
  if (line !== undefined) result.line = line;
  if (variable !== undefined) result.variable = variable;
  return result;
}

const preparedCache = new Map<string, Prepared | Failure>();
const preparedCacheLimit = 128;
/** Larger manifests are parsed on every render rather than kept. */
const preparedCacheMaxLength = 256 * 1024;

/** Parses and compiles a manifest once; the result is never modified afterwards, so it can be shared. */
function prepare(manifest: string): Prepared {
  let prepared = preparedCache.get(manifest);
  if (!prepared) {
    try {
      prepared = prepareUncached(manifest);
    } catch (error) {
      if (!(error instanceof RenderFailure)) throw error;
      prepared = error.failure;
    }
    if (manifest.length <= preparedCacheMaxLength) {
      if (preparedCache.size >= preparedCacheLimit) {
        const oldest = preparedCache.keys().next();
        if (!oldest.done) preparedCache.delete(oldest.value);
      }
      preparedCache.set(manifest, prepared);
    }
  }
  if ('ok' in prepared) throw new RenderFailure(prepared);
  return prepared;
}

function prepareUncached(manifest: string): Prepared {
  if (manifest.length > maxManifestLength) {
    throw new RenderFailure(
      failure('TemplateInvalid', `the manifest is longer than ${maxManifestLength} characters`),
    );
  }
  const { text, quotedOffsets } = quoteTemplateScalars(manifest);
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const [yamlError] = document.errors;
  if (yamlError) throw new RenderFailure(yamlFailure(yamlError));
  const prepared: Prepared = { text, lineCounter, document, quotedOffsets, templates: new Map() };
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  visit(document, {
    Map(_, node) {
      const start = node.range?.[0];
      if (node.flow === true && start !== undefined && text.startsWith('{{', start)) {
        const expression = text.slice(start, text.indexOf('}}', start) + 2 || undefined);
        throw new RenderFailure(
          failure(
            'TemplateInvalid',
            `the template expression ${expression} is not inside a string, so YAML reads it as a mapping; quote the value: '${expression}'`,
            lineAt(start),
          ),
        );
      }
    },
    Scalar(key, node) {
      if (typeof node.value !== 'string' || !node.value.includes('{{')) return;
      const line = lineAt(node.range?.[0] ?? 0);
      if (key === 'key') {
        throw new RenderFailure(
          failure(
            'TemplateInvalid',
            `map keys must not contain templates (${JSON.stringify(node.value)}); template values only`,
            line,
          ),
        );
      }
      const compiled = compileTemplateString(node.value);
      if (!compiled.ok) throw new RenderFailure(stringFailure(prepared, node, node.value, compiled.failure));
      prepared.templates.set(node, compiled.compiled);
    },
  });
  return prepared;
}

function yamlFailure(error: YAMLError): Failure {
  if (error.code === 'MULTIPLE_DOCS') {
    return failure(
      'TemplateInvalid',
      'the manifest must be one YAML document (found a second one)',
      error.linePos?.[0].line,
    );
  }
  const firstLine = (error.message.split('\n')[0] ?? error.message).replace(
    / at line \d+, column \d+:?$/,
    '',
  );
  return failure('TemplateInvalid', `the manifest is not valid YAML: ${firstLine}`, error.linePos?.[0].line);
}

function stringFailure(
  prepared: Prepared,
  node: Scalar,
  source: string,
  problem: StringTemplateFailure,
): Failure {
  const line =
    problem.offset === undefined
      ? lineOfNode(prepared, node)
      : lineInScalar(prepared, node, source, problem.offset);
  return failure(problem.reason, problem.problem, line, problem.variable);
}

function lineOfNode(
  prepared: Prepared,
  node: { range?: [number, number, number] | null | undefined },
): number {
  return prepared.lineCounter.linePos(node.range?.[0] ?? 0).line;
}

/** The manifest line of the action at `offset` of a scalar's value. */
function lineInScalar(prepared: Prepared, node: Scalar, source: string, offset: number): number {
  const [start, valueEnd] = node.range ?? [0, 0, 0];
  const lineAt = (position: number): number => prepared.lineCounter.linePos(position).line;
  const action = actionAt(source, offset);
  if (action) {
    const nodeText = prepared.text.slice(start, valueEnd);
    let index = nodeText.indexOf(action.text);
    for (let seen = 0; index >= 0 && seen < action.occurrence; seen += 1)
      index = nodeText.indexOf(action.text, index + 1);
    if (index >= 0) return lineAt(start + index);
  }
  const linesBefore = source.slice(0, offset).split('\n').length - 1;
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED)
    return lineAt(start) + 1 + linesBefore;
  return Math.min(lineAt(start) + linesBefore, lineAt(valueEnd));
}

/** The line of the deepest existing node on `path`, or of the document. */
function lineOfPath(prepared: Prepared, path: string[]): number {
  for (let length = path.length; length > 0; length -= 1) {
    const node: unknown = prepared.document.getIn(path.slice(0, length), true);
    if (isScalar(node) || isMap(node) || isSeq(node)) return lineOfNode(prepared, node);
  }
  return lineOfNode(prepared, { range: prepared.document.contents?.range });
}

const typedScalar = /^(?:[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false)$/;

/**
 * A value that was an unquoted `key: {{…}}` is read back as YAML would read the rendered text upstream, but only
 * as a scalar: digits become a number, true/false a boolean, and a double-quoted string (`{{.x | quote}}`) its
 * content. Anything else stays the rendered text.
 */
function readBackScalar(text: string): unknown {
  if (typedScalar.test(text)) return text === 'true' ? true : text === 'false' ? false : Number(text);
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'string') return parsed;
    } catch {
      // not one JSON string: keep the text
    }
  }
  return text;
}

/** Turns the parsed document into data, rendering the templated strings on the way. */
class Converter {
  private aliases = 0;
  private readonly active = new Set<unknown>();

  constructor(
    private readonly prepared: Prepared,
    private readonly variables: TemplateVariables,
    private readonly validate: boolean,
  ) {}

  value(node: unknown): unknown {
    if (node === null || node === undefined) return null;
    if (isScalar(node)) return this.scalar(node);
    if (isMap(node)) {
      const object: Record<string, unknown> = {};
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (key !== null && typeof key === 'object') {
          throw new RenderFailure(
            failure(
              'TemplateInvalid',
              'complex (non-scalar) map keys are not supported',
              this.lineOf(pair.key),
            ),
          );
        }
        // defineProperty: a key such as "__proto__" is data, never the object's prototype.
        Object.defineProperty(object, String(key), {
          value: this.value(pair.value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return object;
    }
    if (isSeq(node)) return node.items.map((item) => this.value(item));
    if (isAlias(node)) {
      this.aliases += 1;
      const target = node.resolve(this.prepared.document);
      if (this.aliases > maxAliases || !target || this.active.has(target)) {
        throw new RenderFailure(
          failure(
            'TemplateInvalid',
            `alias *${node.source} is unresolved, recursive or used too often`,
            this.lineOf(node),
          ),
        );
      }
      this.active.add(target);
      const value = this.value(target);
      this.active.delete(target);
      return value;
    }
    throw new RenderFailure(failure('TemplateInvalid', 'unsupported YAML node'));
  }

  private scalar(node: Scalar): unknown {
    const compiled = this.prepared.templates.get(node);
    if (!compiled) return node.value;
    const rendered = compiled.render(this.variables, this.validate);
    if (!rendered.ok)
      throw new RenderFailure(stringFailure(this.prepared, node, compiled.source, rendered.failure));
    const start = node.range?.[0];
    return start !== undefined && this.prepared.quotedOffsets.has(start)
      ? readBackScalar(rendered.text)
      : rendered.text;
  }

  private lineOf(node: unknown): number | undefined {
    const range = (node as { range?: [number, number, number] | null } | null)?.range;
    return range ? this.prepared.lineCounter.linePos(range[0]).line : undefined;
  }
}
