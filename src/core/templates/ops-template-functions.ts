/**
 * What an ops template adds to Go's text/template: the functions upstream templates use beyond Go's builtins
 * (`default`, `quote`, `shellquote`, `keep`) and the check of every value an alert can put into a Workflow.
 *
 * - A value printed raw (`{{.node}}`) must pass the raw-substitution rules of `shell-safety.ts`
 *   (TemplateUnsafe otherwise); `{{shellquote .x}}` is the explicit way to use any other value.
 * - Text the author wrote (`"…"` literals), `shellquote`, `quote`, `keep` and the formatting functions (`printf`,
 *   `print`, `println`, `html`, `js`, `urlquery`) give trusted text; the formatting functions and `quote` check
 *   each alert-derived argument as a raw value first, so the trust is earned, not assumed.
 * - `keep "x"` prints `{{.x}}` for Argo; it takes a literal only, never a computed value.
 */
import type { ValueSite } from './execute-go-template.js';
import { goBuiltins, type GoFunction } from './go-template-builtins.js';
import { formatValue, isMap, Placeholder, plain, TrustedText, truth } from './go-template-values.js';
import { describeRawValueProblem, rawValueProblem, shellQuote, shellQuoteProblem } from './shell-safety.js';
import { TemplateProblem } from './template-problem.js';

/** The placeholder every variable reads as in validation mode. */
export const validationPlaceholder = 'placeholder';

/** The text of a scalar value; maps, lists and nil are refused with the variable's name. */
function scalarText(value: unknown, site: ValueSite): string {
  const unwrapped = plain(value);
  if (unwrapped === undefined || unwrapped === null)
    throw new TemplateProblem('TemplateInvalid', `variable "${site.variable}" is not defined`, {
      variable: site.variable,
    });
  if (Array.isArray(unwrapped) || isMap(unwrapped)) {
    const what = Array.isArray(unwrapped) ? 'a list' : 'a map';
    throw new TemplateProblem(
      'TemplateInvalid',
      `variable "${site.variable}" is ${what}, not a text value; select a field or use {{range}}`,
      { variable: site.variable },
    );
  }
  return formatValue(unwrapped);
}

function checkRaw(value: unknown, site: ValueSite, allowEmpty: boolean): void {
  if (value instanceof TrustedText || plain(value) instanceof Placeholder) return;
  const text = scalarText(value, site);
  const problem = rawValueProblem(text);
  if (problem && !(allowEmpty && problem.kind === 'empty')) {
    throw new TemplateProblem(
      'TemplateUnsafe',
      describeRawValueProblem(site.variable, site.go, text, problem),
      { variable: site.variable },
    );
  }
}

/** Prints an action's value in an ops template (see the file comment). */
export function emitOpsValue(value: unknown, site: ValueSite, validate: boolean): string {
  if (value instanceof TrustedText) return value.text;
  const unwrapped = plain(value);
  if (unwrapped instanceof Placeholder) return validationPlaceholder;
  if (validate) return formatValue(unwrapped);
  checkRaw(value, site, false);
  return scalarText(value, site);
}

/** The functions of an ops template: Go's builtins, the formatting ones checked, and upstream's extras. */
export function opsTemplateFunctions(site: () => ValueSite): ReadonlyMap<string, GoFunction> {
  const functions = new Map(goBuiltins);
  const checked = (name: string): void => {
    const builtin = goBuiltins.get(name);
    if (!builtin) return;
    functions.set(name, {
      ...builtin,
      call(values) {
        for (const value of values)
          if (plain(value) !== undefined && plain(value) !== null) checkRaw(value, site(), true);
        return new TrustedText(String(builtin.call(values)));
      },
    });
  };
  for (const name of ['print', 'println', 'printf', 'html', 'js', 'urlquery']) checked(name);
  functions.set('default', {
    minimum: 2,
    maximum: 2,
    call: ([fallback, value]) => (truth(value) ? value : fallback),
  });
  functions.set('quote', {
    minimum: 1,
    maximum: 1,
    call: ([value]) => {
      if (plain(value) instanceof Placeholder) return value;
      checkRaw(value, site(), true);
      return new TrustedText(JSON.stringify(scalarText(value, site())));
    },
  });
  functions.set('shellquote', {
    minimum: 1,
    maximum: 1,
    call: ([value]) => {
      if (plain(value) instanceof Placeholder) return new TrustedText(shellQuote(validationPlaceholder));
      const text = scalarText(value, site());
      const problem = shellQuoteProblem(text);
      if (problem)
        throw new TemplateProblem('TemplateUnsafe', `variable "${site().variable}" ${problem}`, {
          variable: site().variable,
        });
      return new TrustedText(shellQuote(text));
    },
  });
  functions.set('keep', {
    minimum: 1,
    maximum: 1,
    call: ([value]) => {
      if (!(value instanceof TrustedText) || !value.literal)
        throw new TemplateProblem('TemplateInvalid', 'keep takes a literal ("…"), not a variable');
      return new TrustedText(`{{.${value.text}}}`);
    },
  });
  return functions;
}
