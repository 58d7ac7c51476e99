package dev.septum.server.api;

import dev.septum.server.cluster.Leadership;
import dev.septum.server.db.Database;
import dev.septum.server.deploy.ChangeControlRunner;
import dev.septum.server.deploy.CounterPoller;
import dev.septum.server.monitor.Monitoring;
import dev.septum.server.monitor.ServerMetrics;
import dev.septum.server.store.AuditLog;
import dev.septum.server.store.ChangeControlStore;
import dev.septum.server.store.CounterStore;
import dev.septum.server.store.PolicyStore;
import dev.septum.server.store.PushStore;
import dev.septum.server.store.TargetStore;
import dev.septum.server.store.UserStore;
import dev.septum.server.store.WorkspaceStore;
import dev.septum.server.workflow.ChangeWorkflow;
import dev.septum.server.workflow.GroupRefresh;
import java.time.Duration;

/**
 * What the routes work with.
 *
 * @param workflow      the approval gate's rules: submit, approve, run, repair
 * @param tokenLifetime how long a new API token is valid unless its creator asks for less
 * @param tls           the server answers HTTPS only (session cookies are then marked Secure)
 * @param monitoring the flow store and the embedded collector, if any
 * @param metrics    what GET /metrics exposes
 * @param recommendations the Policy Builder's newest runs, shared by the REST routes and the web UI
 * @param pushes     the members last pushed for each push group
 * @param groups     asks dynamic groups' sources again and opens a workspace when members changed
 * @param cluster    whether this server leads the servers sharing its database
 */
public record Services(Database db, UserStore users, PolicyStore policies, WorkspaceStore workspaces,
                       ChangeControlStore changeControls, TargetStore targets, AuditLog audit, ChangeControlRunner runner,
                       CounterStore counters, CounterPoller poller, Monitoring monitoring, ChangeWorkflow workflow,
                       Authenticator auth, Duration tokenLifetime, boolean tls, ServerMetrics metrics,
                       RecommendationRuns recommendations, PushStore pushes, GroupRefresh groups, Leadership cluster) {
}
