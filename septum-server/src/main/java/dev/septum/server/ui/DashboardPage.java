package dev.septum.server.ui;

import dev.septum.model.Device;
import dev.septum.server.api.Services;
import dev.septum.server.build.PolicyFiles;
import dev.septum.server.store.AuditLog;
import dev.septum.server.store.ChangeControl;
import dev.septum.server.store.PolicyVersion;
import dev.septum.server.store.Role;
import dev.septum.server.store.TargetStore;
import dev.septum.server.workflow.ChangeWorkflow;
import dev.septum.server.workflow.DriftChecks;
import dev.septum.server.workflow.SourceHealth;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dashboard: the devices of the newest approved version with their deploy targets and last
 * deploy and its last drift check, the change controls in flight, dynamic groups' sources and their age, recent audit events and the
 * collector's health; and the drift check of one device (read back on request, never on every page view).
 */
final class DashboardPage {
    private static final int RECENT_CHANGES = 50;
    private static final int AUDIT_SHOWN = 15;
    private static final Set<ChangeControl.State> IN_FLIGHT = Set.of(ChangeControl.State.PENDING_APPROVAL, ChangeControl.State.APPROVED,
            ChangeControl.State.RUNNING);

    private final WebUi ui;
    private final Services s;

    DashboardPage(WebUi ui) {
        this.ui = ui;
        this.s = ui.services();
    }

    public record DashboardView(Chrome chrome, Optional<String> version, List<DeviceRow> devices, int policies, int rules,
                                List<ChangeRow> inFlight, Optional<List<AuditLog.Entry>> audit, CollectorRow collector,
                                List<SourceRow> sources) {
    }

    /** A dynamic group's source: {@code health} is ok, failing, stale or never; {@code age} and {@code maxAge} as {@code 12s}. */
    public record SourceRow(String group, String source, String health, String age, String maxAge, String problem) {
        static SourceRow of(SourceHealth.Row r) {
            return new SourceRow(r.group(), r.source(), r.health(), r.age().map(a -> a.toSeconds() + "s").orElse("-"),
                    r.maxAge().map(a -> a.toSeconds() + "s").orElse("-"), r.problem().orElse(""));
        }

        public String css() {
            return switch (health) {
                case "ok" -> "succeeded";
                case "failing" -> "warning";
                default -> "failed";
            };
        }
    }

    /**
     * @param target    where it is deployed, or empty when no target is bound
     * @param lastState the device's state in the newest change control that reached it, or "never"
     * @param drift     the device's last drift check on this server, if any (the same one /metrics shows)
     */
    public record DeviceRow(String name, String platform, String role, String target, String lastState, long lastChange,
                            Optional<DriftChecks.Last> drift) {
        /** "in sync", "drifted", or empty when not checked. */
        public String driftState() {
            return drift.map(d -> d.inSync() ? "in sync" : "drifted").orElse("");
        }

        public String driftCss() {
            return drift.map(d -> d.inSync() ? "succeeded" : "failed").orElse("");
        }

        /** e.g. {@code version 2, 2026-12-06T07:20:54Z}. */
        public String driftChecked() {
            return drift.map(d -> "version " + d.version() + ", " + d.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).orElse("");
        }
    }

    public record ChangeRow(long id, String state, String message, String submittedBy, String updatedAt) {
        static ChangeRow of(ChangeControl cc) {
            return new ChangeRow(cc.id(), cc.state().key(), cc.message(), cc.submittedBy(), cc.updatedAt());
        }
    }

    /** @param problem the last receive or store failure, empty when healthy */
    public record CollectorRow(boolean running, String listen, Map<String, Long> counters, String problem) {
    }

    public record DriftView(Chrome chrome, String device, long version, String target, boolean inSync, String diff) {
    }

    void register(WebUi.Routes routes) {
        routes.get("/", Role.VIEWER, this::dashboard);
        routes.get("/devices/{device}/drift", Role.VIEWER, (ctx, viewer) -> {
            ChangeWorkflow.Drift drift = s.workflow().drift(ctx.pathParam("device"));
            TargetStore.Target t = drift.designed().target();
            ui.render(ctx, "drift.jte", new DriftView(ui.chrome(viewer, "Drift of " + drift.designed().device(), "dashboard", Optional.empty()),
                    drift.designed().device(), drift.designed().version().id(), t.driver() + " " + t.address(),
                    drift.comparison().inSync(), drift.diff()));
        });
    }

    private void dashboard(Context ctx, Viewer viewer) {
        Optional<PolicyVersion> current = s.policies().current();
        var model = current.map(v -> PolicyFiles.load(s.policies().files(v.id())).model());
        List<ChangeControl> recent = s.changeControls().newest(RECENT_CHANGES);
        List<DeviceRow> devices = model.map(m -> m.devices().values().stream().map(d -> device(d, recent)).toList()).orElse(List.of());
        int policies = model.map(m -> m.policies().size()).orElse(0);
        int rules = model.map(m -> m.policies().values().stream().mapToInt(p -> p.rules().size()).sum()).orElse(0);
        ui.render(ctx, "dashboard.jte", new DashboardView(ui.chrome(viewer, "Dashboard", "dashboard", Optional.empty()),
                current.map(v -> "version " + v.id() + " (" + v.state().key() + "): " + v.message()), devices, policies, rules,
                recent.stream().filter(cc -> IN_FLIGHT.contains(cc.state())).map(ChangeRow::of).toList(),
                viewer.may(Role.ADMIN) ? Optional.of(s.audit().recent(AUDIT_SHOWN).reversed()) : Optional.empty(), collector(),
                s.groups().sourceHealth().stream().map(SourceRow::of).toList()));
    }

    private DeviceRow device(Device d, List<ChangeControl> recent) {
        String target = s.targets().get(d.name()).map(t -> t.driver() + " " + t.address()).orElse("");
        Optional<Map.Entry<String, Long>> last = recent.stream().flatMap(cc -> cc.devices().stream()
                        .filter(r -> r.device().equals(d.name()) && r.state() != ChangeControl.DeviceState.PENDING)
                        .map(r -> Map.entry(r.state().key(), cc.id())))
                .findFirst();
        return new DeviceRow(d.name(), d.platform().name().toLowerCase(Locale.ROOT), d.role().name().toLowerCase(Locale.ROOT), target,
                last.map(Map.Entry::getKey).orElse("never"), last.map(Map.Entry::getValue).orElse(0L),
                target.isEmpty() ? Optional.empty() : s.workflow().driftChecks().last(d.name()));
    }

    private CollectorRow collector() {
        return s.monitoring().collector().map(c -> new CollectorRow(true,
                        c.localAddress().getAddress().getHostAddress() + ":" + c.localAddress().getPort(), c.counters(),
                        String.join("; ", java.util.stream.Stream.of(c.receiveFailure(), c.lastStoreError())
                                .filter(p -> p != null && !p.isEmpty()).toList())))
                .orElse(new CollectorRow(false, "", Map.of(), ""));
    }
}
