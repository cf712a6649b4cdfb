/**
 * Which channel an alert goes to: the first route whose conditions all hold, else the default channel.
 * Pure. Routes come from configuration (AEGIS_SLACK_ROUTES, a JSON list parsed by `slackRoutesSchema`).
 */
import { z } from 'zod';
import { compileLinearPattern, type LinearPattern } from '../../core/linear-patterns/index.js';
import type { AlertLike } from '../render/index.js';

export const slackRouteSchema = z.object({
  channel: z.string().min(1).describe('Channel id (or name) to post to.'),
  type: z
    .string()
    .min(1)
    .superRefine((type, context) => {
      // RE2 semantics: matched in linear time against every alert's type, so no route can stall the notifier.
      const compiled = compileLinearPattern(type, { anchored: true });
      if (!compiled.ok)
        context.addIssue({ code: 'custom', message: `${JSON.stringify(type)} ${compiled.message}` });
    })
    .optional()
    .describe('Alert type, an anchored regular expression (RE2 syntax), e.g. Gpu.*.'),
  severity: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .optional()
    .describe('Severity, or a list of severities (case-insensitive).'),
  namespace: z
    .string()
    .min(1)
    .optional()
    .describe("Namespace of the involved object (the AegisAlert's own namespace when the object has none)."),
});
export const slackRoutesSchema = z.array(slackRouteSchema);
export type SlackRoute = z.infer<typeof slackRouteSchema>;

export type ChannelRouter = (alert: AlertLike) => string;

function typePattern(type: string): LinearPattern {
  const compiled = compileLinearPattern(type, { anchored: true });
  if (!compiled.ok) throw new Error(`AEGIS_SLACK_ROUTES: type ${JSON.stringify(type)} ${compiled.message}`);
  return compiled.pattern;
}

export function createChannelRouter(
  defaultChannel: string,
  routes: readonly SlackRoute[] = [],
): ChannelRouter {
  const compiled = routes.map((route) => ({
    channel: route.channel,
    type: route.type === undefined ? undefined : typePattern(route.type),
    severities:
      route.severity === undefined
        ? undefined
        : new Set(
            (Array.isArray(route.severity) ? route.severity : [route.severity]).map((s) => s.toLowerCase()),
          ),
    namespace: route.namespace,
  }));
  return (alert) => {
    const severity = alert.spec.severity?.toLowerCase() ?? '';
    const namespace = alert.spec.involvedObject?.namespace ?? alert.metadata.namespace ?? '';
    const match = compiled.find(
      (route) =>
        (route.type === undefined || route.type.test(alert.spec.type)) &&
        (route.severities === undefined || route.severities.has(severity)) &&
        (route.namespace === undefined || route.namespace === namespace),
    );
    return match?.channel ?? defaultChannel;
  };
}
