export {
  builtInPromptsDir,
  clearPromptCache,
  loadPrompt,
  renderPrompt,
  type LoadPromptOptions,
} from './load-prompt.js';
