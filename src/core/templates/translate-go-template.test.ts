import { describe, expect, it } from 'vitest';
import { compileTemplateString } from './compile-template-string.js';
import { translateGoTemplate } from './translate-go-template.js';

function translate(source: string): string {
  const result = translateGoTemplate(source);
  if (!result.ok) throw new Error(result.message);
  return result.handlebars;
}

function render(source: string, variables: Record<string, unknown>): string {
  const compiled = compileTemplateString(source);
  if (!compiled.ok) throw new Error(compiled.failure.problem);
  const result = compiled.compiled.render(variables, false);
  if (!result.ok) throw new Error(`${result.failure.reason}: ${result.failure.problem}`);
  return result.text;
}

describe('translateGoTemplate', () => {
  it.each([
    ['kubectl cordon {{.node}}', 'kubectl cordon {{this.node}}'],
    ['{{.a.b}}', '{{this.a.b}}'],
    ['{{.}}', '{{this}}'],
    ['{{$.node}} {{$}}', '{{@root.node}} {{@root}}'],
    ['{{if .x}}a{{else if .y}}b{{else}}c{{end}}', '{{#if this.x}}a{{else if this.y}}b{{else}}c{{/if}}'],
    ['{{range .items}}{{.name}}{{end}}', '{{#each this.items}}{{this.name}}{{/each}}'],
    ['{{with .x}}{{.}}{{else}}none{{end}}', '{{#with this.x}}{{this}}{{else}}none{{/with}}'],
    ['x {{- .node -}} y', 'x {{~this.node~}} y'],
    ['{{- if .x -}}a{{- end -}}', '{{~#if this.x~}}a{{~/if~}}'],
    ['{{.x | quote}}', '{{quote this.x}}'],
    ['{{ .x | default "y" }}', '{{default "y" this.x}}'],
    ['{{ .x | default "y" | quote }}', '{{quote (default "y" this.x)}}'],
    ['{{eq .a "b"}}', '{{eq this.a "b"}}'],
    ['{{if eq .a "b"}}y{{end}}', '{{#if (eq this.a "b")}}y{{/if}}'],
    ['{{if and .a (not .b)}}y{{end}}', '{{#if (and this.a (not this.b))}}y{{/if}}'],
    ['{{if or .a .b}}y{{end}}', '{{#if (or this.a this.b)}}y{{/if}}'],
    ['{{if ne .a "b"}}y{{end}}', '{{#if (ne this.a "b")}}y{{/if}}'],
    ['{{keep "x"}}', '{{keep "x"}}'],
    ['{{shellquote .x}}', '{{shellquote this.x}}'],
    ['{{"{{workflow.name}}"}}', '{{aegisLiteral "{{workflow.name}}"}}'],
    ['{{/* note */}}a', '{{!-- note --}}a'],
    ['{{- /* note */ -}}a', '{{~!-- note --~}}a'],
    ['{{.true}}', '{{this.[true]}}'],
  ])('%s → %s', (go, handlebars) => {
    expect(translate(go)).toBe(handlebars);
  });

  it.each([
    '{{node}}',
    '{{#if x}}a{{else}}b{{/if}}',
    '{{shellquote node}}',
    '{{!-- c --}}',
    '{{{node}}}',
    '{{~node~}}',
  ])('leaves native Handlebars %s unchanged', (native) => {
    expect(translate(native)).toBe(native);
  });

  it.each([
    ['{{$x := .node}}', 'variables ($x := …) are not supported'],
    ['{{range $i, $v := .items}}{{end}}', 'range with variables ({{range $i, $v := …}}) are not supported'],
    ['{{$x}}', 'variables ($x) are not supported'],
    ['{{template "x"}}', '{{template}} is not supported'],
    ['{{define "x"}}{{end}}', '{{define}} is not supported'],
    ['{{block "x" .}}{{end}}', '{{block}} is not supported'],
    ['{{range .x}}{{break}}{{end}}', '{{break}} is not supported'],
    ['{{printf "%s" .x}}', 'function "printf" is not supported'],
    ['{{end}}', '{{end}} without a matching'],
    ['{{.x | .y}}', 'a pipeline stage must be a function'],
    ["{{eq .x 'a'}}", 'character literals'],
  ])('refuses %s', (go, message) => {
    const result = translateGoTemplate(go);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  it('names the line of the construct it refuses', () => {
    const result = translateGoTemplate('first line\nsecond {{.ok}}\nthird {{$x := 1}}');
    expect(result).toMatchObject({ ok: false, line: 3 });
    if (!result.ok) expect(result.message).toMatch(/\(line 3\)$/);
  });

  it('reports an unclosed {{if}} at the line where it opens', () => {
    const result = translateGoTemplate('a\n{{if .x}}\nb\n');
    expect(result).toMatchObject({ ok: false, line: 2 });
    if (!result.ok) expect(result.problem).toContain('{{if}} is never closed');
  });

  it('records where each action is in both texts', () => {
    const result = translateGoTemplate('a {{.x}} b');
    expect(result.ok && result.actions).toEqual([
      { goStart: 2, goEnd: 8, handlebarsStart: 2, handlebarsEnd: 12 },
    ]);
  });
});

describe('translated templates render like Go', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['kubectl cordon {{.node}}', { node: 'worker-1' }, 'kubectl cordon worker-1'],
    ['{{.a.b}}', { a: { b: 'c' } }, 'c'],
    ['{{if .drain}}--force{{end}}', { drain: 'yes' }, '--force'],
    ['{{if .drain}}--force{{end}}', {}, ''],
    ['{{if .a}}A{{else if .b}}B{{else}}C{{end}}', { b: 'x' }, 'B'],
    ['{{range .items}}{{.name}},{{end}}', { items: [{ name: 'a' }, { name: 'b' }] }, 'a,b,'],
    ['{{range .items}}{{.}}{{else}}none{{end}}', { items: [] }, 'none'],
    ['{{range .items}}{{$.node}}:{{.}} {{end}}', { node: 'n', items: ['a', 'b'] }, 'n:a n:b '],
    ['{{with .a}}{{.b}}{{end}}', { a: { b: 'c' } }, 'c'],
    ['x  {{- .node -}}  y', { node: 'w' }, 'xwy'],
    ['{{ .node | quote }}', { node: 'worker-1' }, '"worker-1"'],
    ['{{ .missing | default "fallback" }}', {}, 'fallback'],
    ['{{ .present | default "fallback" }}', { present: 'p' }, 'p'],
    ['{{ if eq .node "worker-1" }}yes{{ else }}no{{ end }}', { node: 'worker-1' }, 'yes'],
    ['{{ if ne .node "worker-1" }}yes{{ else }}no{{ end }}', { node: 'worker-1' }, 'no'],
    ['{{if not .a}}none{{end}}', { a: '' }, 'none'],
    ['{{if and .a .b}}both{{end}}{{if or .a .c}}either{{end}}', { a: '1', b: '1' }, 'botheither'],
    ['{{eq .a "x"}}', { a: 'x' }, 'true'],
    ['echo {{keep "inputs.parameters.x"}}', {}, 'echo {{.inputs.parameters.x}}'],
    ['{{"{{workflow.name}}"}}', {}, '{{workflow.name}}'],
    ['echo {{shellquote .x}}', { x: "it's" }, "echo 'it'\\''s'"],
    ['{{/* gone */}}kept', {}, 'kept'],
    ['{{index .labels "app.kubernetes.io/name"}}', { labels: { 'app.kubernetes.io/name': 'web' } }, 'web'],
    ['{{len .items}}', { items: [1, 2, 3] }, '3'],
    ['{{node}} {{this.node}}', { node: 'native' }, 'native native'],
    ['a\\{{.x}}', { x: 'v' }, 'a\\v'],
  ])('%s', (source, variables, expected) => {
    expect(render(source, variables)).toBe(expected);
  });

  it('reads a missing variable in a condition as empty, as Go does, but never substitutes one', () => {
    expect(render('{{if .x}}x{{end}}{{with .y}}y{{end}}{{range .z}}z{{end}}', {})).toBe('');
    expect(() => render('kubectl delete pod {{.pod}}', {})).toThrow('variable "pod" is not defined');
    expect(() => render('{{.pod | quote}}', {})).toThrow('variable "pod" is not defined');
    expect(() => render('{{shellquote .pod}}', {})).toThrow('variable "pod" is not defined');
    expect(() => render('{{.a.b}}', { a: {} })).toThrow('variable "a.b" is not defined');
  });

  it('does not read inherited properties', () => {
    expect(() => render('{{.constructor}}', {})).toThrow('variable "constructor" is not defined');
    expect(() => render('{{.toString}}', {})).toThrow('not defined');
  });

  it('refuses to print a map or a list', () => {
    expect(() => render('{{.a}}', { a: { b: 1 } })).toThrow('is a map');
    expect(() => render('{{.a}}', { a: [1] })).toThrow('is a list');
  });

  it.each([
    ['{{> partial}}', 'partials'],
    ['{{#each items as |item|}}{{item}}{{/each}}', 'block parameters'],
    ['{{../x}}', 'parent paths'],
    ['{{log "x"}}', 'function "log" is not supported'],
    ['{{lookup . "x"}}', 'function "lookup" is not supported'],
    ['{{keep .x}}', 'keep takes a literal'],
    ['{{#each}}{{/each}}', '{{#each}} takes exactly one value'],
    ['{{[a}}', 'template syntax error'],
    ['{{#if x}}', '{{#if}} is never closed (add {{/if}})'],
    ['{{foo bar}}', 'function "foo" is not supported'],
  ])('refuses native %s', (source, message) => {
    const compiled = compileTemplateString(source);
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.failure.problem).toContain(message);
  });
});
