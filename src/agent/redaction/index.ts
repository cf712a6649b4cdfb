export { createRedactor, cutToBudget, type Redactor, type RedactorOptions } from './create-redactor.js';
export { parseRedactPatterns } from './parse-redact-patterns.js';
export { secretKindOfName } from './secret-keys.js';
export { secretOmitted } from './secret-objects.js';
