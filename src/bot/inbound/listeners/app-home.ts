/** App Home (`app_home_opened`, the Refresh button, after a decision made there): `views.publish`. */
import { pendingApproverGroups, selectAppHome } from '../app-home-data.js';
import { renderAppHome } from '../render/app-home.js';
import { explainFailure, type ListenerContext } from './listener-context.js';

export async function publishAppHome(user: string, context: ListenerContext): Promise<void> {
  try {
    const alerts = await context.services.alerts.list();
    const groups = await context.groups.groupsOf(user, pendingApproverGroups(alerts));
    const view = renderAppHome(selectAppHome(alerts, user, groups, context.clock()));
    await context.slack.publishHome({ user, view });
  } catch (error) {
    // Nobody waits on a reply here; the log line carries the reference.
    explainFailure(context, 'app_home', error, { user });
  }
}
