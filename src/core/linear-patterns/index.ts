export {
  compileLinearPattern,
  maxPatternLength,
  type LinearPattern,
  type LinearPatternOptions,
  type LinearPatternResult,
} from './linear-pattern.js';
