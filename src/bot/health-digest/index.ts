/** The Slack digest of health-check rounds: renderer and sink. */
export { renderHealthDigest } from './render-health-digest.js';
export { createHealthDigestSink, type HealthDigestSinkOptions } from './health-digest-sink.js';
