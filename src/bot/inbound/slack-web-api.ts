/**
 * The Slack Web API calls the inbound listeners make, as a small port (bolt-app.ts adapts the WebClient to
 * it), so the listeners are plain functions that tests and other transports can drive.
 */
import type { HomeView, KnownBlock, ModalView } from '@slack/types';

export interface SlackWebApi {
  /** A message only `user` sees, in `channel` (and thread). */
  postEphemeral(args: {
    channel: string;
    user: string;
    text: string;
    blocks?: KnownBlock[];
    threadTs?: string;
  }): Promise<void>;
  /** A message in a channel, a thread, or a DM (channel = a user id). */
  postMessage(args: {
    channel: string;
    text: string;
    blocks?: readonly unknown[];
    threadTs?: string;
  }): Promise<void>;
  openView(args: { triggerId: string; view: ModalView }): Promise<void>;
  publishHome(args: { user: string; view: HomeView }): Promise<void>;
}
