import { describe, expect, it } from 'vitest';
import { quoteTemplateScalars } from './quote-template-scalars.js';

describe('quoteTemplateScalars', () => {
  it.each([
    ['name: {{.node}}', "name: '{{.node}}'"],
    ['  - {{.node}}', "  - '{{.node}}'"],
    ['- name: {{.a}}-{{.b}}  # comment', "- name: '{{.a}}-{{.b}}'  # comment"],
    ["value: {{keep 'x'}}", "value: '{{keep ''x''}}'"],
    ['"quoted key": {{.x}}', `"quoted key": '{{.x}}'`],
  ])('%s → %s', (line, quoted) => {
    expect(quoteTemplateScalars(line).text).toBe(quoted);
  });

  it.each([
    'command: [/bin/bash, -c, "kubectl cordon {{.node}}"]',
    'command: kubectl cordon {{.node}}',
    "name: '{{.node}}'",
    '{{.x}}: value',
    '# {{.x}}',
  ])('leaves %s alone', (line) => {
    expect(quoteTemplateScalars(line).text).toBe(line);
  });

  it('never touches block scalars', () => {
    const manifest = [
      'script:',
      '  source: |',
      '    {{if .x}}',
      '    {{.x}}',
      '',
      '    {{end}}',
      'next: {{.y}}',
    ].join('\n');
    expect(quoteTemplateScalars(manifest).text.split('\n')).toEqual([
      'script:',
      '  source: |',
      '    {{if .x}}',
      '    {{.x}}',
      '',
      '    {{end}}',
      "next: '{{.y}}'",
    ]);
    const sequence = ['- |-', '  {{.x}}', '- {{.y}}'].join('\n');
    expect(quoteTemplateScalars(sequence).text).toBe(['- |-', '  {{.x}}', "- '{{.y}}'"].join('\n'));
  });

  it('keeps line numbers and records where it quoted', () => {
    const manifest = 'a: 1\r\nb: {{.x}}\r\nc: 2';
    const { text, quotedOffsets } = quoteTemplateScalars(manifest);
    expect(text).toBe("a: 1\r\nb: '{{.x}}'\r\nc: 2");
    expect([...quotedOffsets]).toEqual([text.indexOf("'")]);
  });
});
