/**
 * `aegis rule lint FILE...`: checks every AegisAlertOpsRule and AegisOpsTemplate document exactly as the
 * reconcilers do and lists every problem with its file, document and field. Kept apart from the commands that
 * talk to the cluster (rule-commands.ts) so that lint loads no Kubernetes client: it needs no cluster.
 */
import { readFile } from 'node:fs/promises';
import { isScalar, LineCounter, parseAllDocuments, Scalar } from 'yaml';
import { judgeTemplate } from '../controller/lint/index.js';
import { AegisError } from '../core/errors.js';
import { aegisApiVersion } from '../core/resources/index.js';
import { compileRule } from '../core/rules/index.js';

export interface LintProblem {
  readonly file: string;
  /** 1-based position of the YAML document in the file; 0 for a problem of the whole file. */
  readonly document: number;
  /** `metadata.name` of the object, when it has one. */
  readonly name?: string;
  readonly field: string;
  readonly message: string;
}

export interface RuleCommandDependencies {
  print(text: string): void;
  readFile?: (path: string) => Promise<string>;
}

interface LintedDocument {
  readonly document: number;
  readonly kind: string | undefined;
  readonly object: Record<string, unknown> | undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function readText(path: string, dependencies: RuleCommandDependencies): Promise<string> {
  try {
    return await (dependencies.readFile ?? ((file: string) => readFile(file, 'utf8')))(path);
  } catch (error) {
    throw new AegisError(
      'RULE_FILE_UNREADABLE',
      `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Every problem of the rules and templates in one file's text; other kinds are left alone. */
export function lintText(
  text: string,
  file: string,
): { problems: LintProblem[]; documents: LintedDocument[] } {
  const problems: LintProblem[] = [];
  const documents: LintedDocument[] = [];
  const lineCounter = new LineCounter();
  parseAllDocuments(text, { lineCounter }).forEach((parsed, position) => {
    const document = position + 1;
    if (!('errors' in parsed)) return;
    if (parsed.errors.length > 0) {
      for (const error of parsed.errors) {
        // yaml's first line ends "at line 3, column 5:" (the excerpt followed); keep the position, not the colon.
        const first = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
        const line = error.linePos?.[0].line;
        problems.push({
          file,
          document,
          field: '',
          message: `not valid YAML: ${first}${line === undefined ? '' : ` (line ${line} of ${file})`}`,
        });
      }
      return;
    }
    const value: unknown = parsed.toJS();
    if (value === null || value === undefined) return; // an empty document (e.g. a trailing `---`)
    if (!isObject(value)) {
      problems.push({ file, document, field: '', message: 'must be a Kubernetes object (a mapping)' });
      return;
    }
    const kind = typeof value['kind'] === 'string' ? value['kind'] : undefined;
    documents.push({ document, kind, object: value });
    const metadata = isObject(value['metadata']) ? value['metadata'] : {};
    const name = typeof metadata['name'] === 'string' ? metadata['name'] : undefined;
    const at = { file, document, ...(name === undefined ? {} : { name }) };
    if (kind !== 'AegisAlertOpsRule' && kind !== 'AegisOpsTemplate') {
      const apiVersion = typeof value['apiVersion'] === 'string' ? value['apiVersion'] : '';
      // An Aegis object of a kind lint does not know (a typo such as AegisOpsRule), or no kind at all.
      if (kind === undefined || apiVersion.startsWith('aegis.io/')) {
        problems.push({
          ...at,
          field: 'kind',
          message:
            kind === undefined
              ? 'is missing (expected AegisAlertOpsRule or AegisOpsTemplate)'
              : `${kind} is not a kind aegis rule lint knows (expected AegisAlertOpsRule or AegisOpsTemplate)`,
        });
      }
      return;
    }
    if (value['apiVersion'] !== aegisApiVersion) {
      problems.push({ ...at, field: 'apiVersion', message: `must be ${aegisApiVersion}` });
    }
    if (kind === 'AegisAlertOpsRule') {
      const result = compileRule({
        metadata: metadata,
        spec: value['spec'],
      });
      if (!result.ok) for (const problem of result.problems) problems.push({ ...at, ...problem });
      return;
    }
    if (name === undefined || name === '')
      problems.push({ ...at, field: 'metadata.name', message: 'is required' });
    const verdict = judgeTemplate({ spec: isObject(value['spec']) ? value['spec'] : {} });
    if (!verdict.valid) {
      const [field, ...rest] = verdict.message.split(': ');
      const message = rest.join(': ') || verdict.message;
      // The template names the line of its manifest; say which line of the file that is.
      const manifest = parsed.getIn(['spec', 'manifest'], true);
      const fileLine = (manifestLine: number): number | undefined => {
        if (!isScalar(manifest) || !manifest.range) return undefined;
        const start = lineCounter.linePos(manifest.range[0]).line;
        const block = manifest.type === Scalar.BLOCK_LITERAL || manifest.type === Scalar.BLOCK_FOLDED;
        return block ? start + manifestLine : start + manifestLine - 1;
      };
      problems.push({
        ...at,
        field: field ?? 'spec.manifest',
        message: message.replace(/\(line (\d+)\)$/, (whole, line: string) => {
          const inFile = fileLine(Number(line));
          return inFile === undefined ? whole : `(line ${line} of the manifest, line ${inFile} of ${file})`;
        }),
      });
    }
  });
  return { problems, documents };
}

export function formatLintProblem(problem: LintProblem): string {
  const name = problem.name === undefined ? '' : ` (${problem.name})`;
  const field = problem.field === '' ? '' : `${problem.field}: `;
  const where = problem.document === 0 ? '' : ` document ${problem.document}${name}:`;
  return `${problem.file}:${where} ${field}${problem.message}`;
}

/** `aegis rule lint FILE...`: prints every problem; throws (exit 1) when there is any. */
export async function lintRuleFiles(
  files: readonly string[],
  dependencies: RuleCommandDependencies,
): Promise<void> {
  const problems: LintProblem[] = [];
  let rules = 0;
  let templates = 0;
  for (const file of files) {
    let text: string;
    try {
      text = await readText(file, dependencies);
    } catch (error) {
      // Every file is checked: a missing one is a problem of its own, not the end of the run.
      const message = error instanceof Error ? error.message : String(error);
      problems.push({
        file,
        document: 0,
        field: '',
        message: message.replace(`cannot read ${file}: `, 'cannot read: '),
      });
      continue;
    }
    const linted = lintText(text, file);
    problems.push(...linted.problems);
    const fileRules = linted.documents.filter((document) => document.kind === 'AegisAlertOpsRule').length;
    const fileTemplates = linted.documents.filter((document) => document.kind === 'AegisOpsTemplate').length;
    if (fileRules + fileTemplates === 0 && linted.problems.length === 0) {
      problems.push({
        file,
        document: 0,
        field: '',
        message: 'holds no AegisAlertOpsRule or AegisOpsTemplate',
      });
    }
    rules += fileRules;
    templates += fileTemplates;
  }
  for (const problem of problems) dependencies.print(`${formatLintProblem(problem)}\n`);
  const checked = `${rules} rule${rules === 1 ? '' : 's'} and ${templates} template${templates === 1 ? '' : 's'}`;
  if (problems.length > 0) {
    throw new AegisError(
      'RULE_LINT_FAILED',
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${checked}`,
    );
  }
  dependencies.print(`${checked} checked: no problems\n`);
}
