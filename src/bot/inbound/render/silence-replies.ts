/** Replies to `/aegis silence`, `/aegis silences` and `/aegis unsilence`. */
import type { AegisSilence } from '../../../core/resources/index.js';
import { silenceInForce } from '../../../core/silences/index.js';
import { code, context, escapeText, reply, section, type ChatReply } from './blocks.js';
import { mention } from './alert-replies.js';

function matcherText(silence: AegisSilence): string {
  const { type, fingerprint } = silence.spec.matcher;
  return [
    type === undefined ? undefined : `type ${code(type)}`,
    fingerprint === undefined ? undefined : `fingerprint ${code(fingerprint)}`,
  ]
    .filter((part) => part !== undefined)
    .join(' and ');
}

function untilText(until: string, now: Date): string {
  const ms = Date.parse(until) - now.getTime();
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const left =
    minutes < 60
      ? `${minutes}m`
      : minutes < 2_880
        ? `${Math.round(minutes / 60)}h`
        : `${Math.round(minutes / 1_440)}d`;
  return `until ${until} (${left} left)`;
}

export function renderSilenceCreated(silence: AegisSilence, now: Date): ChatReply {
  const why = silence.spec.reason === undefined ? '' : `: ${escapeText(silence.spec.reason)}`;
  return reply(
    'in_channel',
    `${mention(silence.spec.createdBy)} silenced ${matcherText(silence).replace(/`/g, '')} ${untilText(silence.spec.until, now)}`,
    [
      section(
        `:mute: ${mention(silence.spec.createdBy)} silenced alerts with ${matcherText(silence)} ${untilText(silence.spec.until, now)}${why}.`,
      ),
      context(
        `Matching alerts are recorded but neither posted nor run. End it early: ${code(`/aegis unsilence ${silence.metadata.name ?? ''}`)}`,
      ),
    ],
  );
}

export function renderSilences(silences: readonly AegisSilence[], now: Date): ChatReply {
  const active = silences
    .filter((silence) => silenceInForce(silence, now))
    .sort((a, b) => Date.parse(a.spec.until) - Date.parse(b.spec.until));
  if (active.length === 0) return reply('ephemeral', 'No silences are in force.');
  const lines = active.map((silence) => {
    const why = silence.spec.reason === undefined ? '' : ` — ${escapeText(silence.spec.reason)}`;
    return `${code(silence.metadata.name ?? '')} ${matcherText(silence)} ${untilText(silence.spec.until, now)}, by ${mention(silence.spec.createdBy)}${why}`;
  });
  return reply('ephemeral', `${active.length} silences in force`, [
    section(`*${active.length}* silences in force:`),
    section(lines.join('\n')),
    context(`End one: ${code('/aegis unsilence <name>')}`),
  ]);
}

export function renderUnsilenced(name: string, existed: boolean, user: string): ChatReply {
  if (!existed) return reply('ephemeral', `There is no silence named ${name}; see /aegis silences.`);
  return reply('in_channel', `${mention(user)} ended silence ${name}.`, [
    section(
      `:loud_sound: ${mention(user)} ended silence ${code(name)}; matching alerts are posted and run again.`,
    ),
  ]);
}
