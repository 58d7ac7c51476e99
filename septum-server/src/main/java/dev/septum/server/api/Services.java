package dev.septum.server.api;

import dev.septum.server.db.Database;
import dev.septum.server.deploy.ChangeControlRunner;
import dev.septum.server.deploy.CounterPoller;
import dev.septum.server.monitor.Monitoring;
import dev.septum.server.store.AuditLog;
import dev.septum.server.store.ChangeControlStore;
import dev.septum.server.store.CounterStore;
import dev.septum.server.store.PolicyStore;
import dev.septum.server.store.TargetStore;
import dev.septum.server.store.UserStore;
import dev.septum.server.store.WorkspaceStore;

/**
 * What the routes work with.
 *
 * @param fourEyes   when true, nobody approves a change control they submitted
 * @param monitoring the flow store and the embedded collector, if any
 */
public record Services(Database db, UserStore users, PolicyStore policies, WorkspaceStore workspaces,
                       ChangeControlStore changeControls, TargetStore targets, AuditLog audit, ChangeControlRunner runner,
                       CounterStore counters, CounterPoller poller, boolean fourEyes, Monitoring monitoring) {
}
