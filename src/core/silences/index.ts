/** Silences: which alerts are muted (no chat post, no workflow) and until when. Pure. */
export {
  findSilence,
  isSilenced,
  silenceInForce,
  silenceMatches,
  type SilenceLike,
  type SilenceableAlert,
} from './is-silenced.js';
export { formatDuration, parseChatDuration } from './chat-duration.js';
export type { SilenceStore } from './silence-store.js';
