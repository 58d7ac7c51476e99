package dev.septum.server.workflow;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.ResolutionSnapshot;
import dev.septum.compile.pipeline.ResolutionSnapshot.ResolvedGroup;
import dev.septum.model.Action;
import dev.septum.model.AutoApply;
import dev.septum.model.Group;
import dev.septum.model.Ref;
import dev.septum.resolve.SnapshotJson;
import dev.septum.resolve.SourceResolver;
import dev.septum.server.build.PolicyFiles;
import dev.septum.server.db.Database;
import dev.septum.server.store.AuditLog;
import dev.septum.server.store.PolicyStore;
import dev.septum.server.store.PolicyVersion;
import dev.septum.server.store.RefreshStore;
import dev.septum.server.store.Role;
import dev.septum.server.store.User;
import dev.septum.server.store.Workspace;
import dev.septum.server.store.WorkspaceStore;
import inet.ipaddr.IPAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps dynamic groups current: asks the newest approved version's sources (on a schedule, when
 * {@link SourceResolver#due} says an answer ran out, when a member file is written, or on request) and, when a group's members
 * differ from the ones that version was built with, opens a workspace whose build shows the
 * field-set-only diff and its semantic diff for review. The same change on the same version
 * (its workspace open, or submitted and waiting) is not opened twice.
 */
public final class GroupRefresh implements AutoCloseable {
    /** The author of the workspaces a refresh opens; not a user, so any approver may approve them. */
    public static final String ACTOR = "septum-refresh";
    /** The refresh as the caller of the edits it makes. */
    public static final User SYSTEM = new User(0, ACTOR, Role.EDITOR);
    private static final Logger LOG = LoggerFactory.getLogger(GroupRefresh.class);
    private static final int NAME_LIMIT = 128;

    private final Database db;
    private final PolicyStore policies;
    private final WorkspaceStore workspaces;
    private final AuditLog audit;
    private final ChangeWorkflow workflow;
    private final ChangeWorkflow.Submission submission;
    private final SourceResolver sources;
    private final Clock clock;
    private final SourceHealth health;
    private final Optional<ScheduledExecutorService> scheduler;
    private final Optional<SourceFileWatch> fileWatch;
    /** The member files of the newest approved version, loaded once per version. */
    private volatile WatchedFiles watched = new WatchedFiles(Optional.empty(), Set.of());

    private record WatchedFiles(Optional<Long> version, Set<Path> files) {
    }
    private final java.util.function.BooleanSupplier leads;

    /** How one group's members changed against the newest approved version's snapshot. */
    public record Change(String group, List<String> added, List<String> removed) {
        String label() {
            return group + " (+" + added.size() + " -" + removed.size() + ")";
        }
    }

    /**
     * @param workspace     the workspace opened for review, or the identical one already there
     * @param opened        false when the identical workspace was already there
     * @param changeControl the auto-approved change control now deploying the change, when every
     *                      changed group is marked {@code auto-apply} and the change is within its limits
     */
    public record Outcome(Optional<Long> version, List<Change> changes, Optional<Workspace> workspace, boolean opened,
                          Optional<Long> changeControl, List<RefreshStore.Superseded> superseded) {
        Outcome(Optional<Long> version, List<Change> changes, Optional<Workspace> workspace, boolean opened) {
            this(version, changes, workspace, opened, Optional.empty(), List.of());
        }
    }

    /** Whether a change may skip review, and why (or why not), for the audit log. */
    private record AutoApplyDecision(boolean within, String why) {
    }

    /**
     * @param interval how often to check whether a source's answer ran out; zero: only on request
     * @param leads    the schedule runs only while this is true: one server of several sharing a database (the leader)
     * @param submission how an auto-applied change is submitted: the break-set gate every submit passes, unacknowledged,
     *                   so a change that alters the verdict of observed sessions waits for a person's review
     */
    public GroupRefresh(Database db, PolicyStore policies, WorkspaceStore workspaces, AuditLog audit, ChangeWorkflow workflow,
                        ChangeWorkflow.Submission submission, SourceResolver sources, Duration interval,
                        java.util.function.BooleanSupplier leads) {
        this.db = db;
        this.policies = policies;
        this.workspaces = workspaces;
        this.audit = audit;
        this.workflow = workflow;
        this.submission = submission;
        this.sources = sources;
        this.leads = leads;
        this.clock = Clock.systemUTC();
        this.health = new SourceHealth(audit, clock);
        rememberStoredMembers();
        if (interval.isZero()) {
            this.scheduler = Optional.empty();
            this.fileWatch = Optional.empty();
        } else {
            ScheduledExecutorService one = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("group-refresh")
                    .daemon(true).factory());
            one.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
            this.scheduler = Optional.of(one);
            this.fileWatch = watchFiles();
        }
    }

    /** A member file written refreshes at once; without a watch (e.g. no inotify left) the schedule still asks it. */
    private Optional<SourceFileWatch> watchFiles() {
        try {
            return Optional.of(new SourceFileWatch(sources.directory(), this::watchedFiles, changed -> {
                if (!leads.getAsBoolean()) {
                    return;
                }
                try {
                    refresh(ACTOR, "file changed: " + changed.stream().map(f -> f.getFileName().toString())
                            .collect(Collectors.joining(", ")));
                } catch (RuntimeException e) {
                    LOG.warn("group refresh after a member file changed failed", e);
                }
            }));
        } catch (java.io.IOException e) {
            LOG.warn("cannot watch member files ({}); they are asked on the schedule only", e.getMessage());
            return Optional.empty();
        }
    }

    private Set<Path> watchedFiles() {
        Optional<PolicyVersion> current = policies.current();
        Optional<Long> version = current.map(PolicyVersion::id);
        WatchedFiles now = watched;
        if (!now.version().equals(version)) {
            now = new WatchedFiles(version, current.map(v -> sources.files(PolicyFiles.load(policies.files(v.id())).model()))
                    .orElse(Set.of()));
            watched = now;
        }
        return now.files();
    }

    /** The newest approved version's stored members become the last good answers; a damaged snapshot is only logged. */
    private void rememberStoredMembers() {
        policies.current().ifPresent(v -> policies.resolution(v.id()).ifPresent(stored -> {
            try {
                var model = PolicyFiles.load(policies.files(v.id())).model();
                ResolutionSnapshot snapshot = SnapshotJson.read(stored);
                sources.remember(model, snapshot);
                health.update(model, snapshot);
            } catch (IllegalArgumentException damaged) {
                LOG.warn("the stored resolution of version {} cannot be read ({}); its groups start without last good members",
                        v.id(), damaged.getMessage());
            }
        }));
    }

    private void tick() {
        try {
            if (!leads.getAsBoolean()) {
                return;
            }
            if (anyDue()) {
                refresh(ACTOR, "schedule");
            }
            health.check();
        } catch (RuntimeException e) {
            // the next tick tries again; one bad refresh must not end the schedule
            LOG.warn("scheduled group refresh failed", e);
        }
    }

    /** A dynamic group of the newest approved version whose last answer ran out, or that was never asked. */
    private boolean anyDue() {
        Optional<PolicyVersion> current = policies.current();
        if (current.isEmpty()) {
            return false;
        }
        var now = clock.instant();
        return PolicyFiles.load(policies.files(current.get().id())).model().groups().values().stream().filter(Group::dynamic)
                .anyMatch(g -> sources.due(g.name()).map(due -> !due.isAfter(now)).orElse(true));
    }

    /** Asks every source of the newest approved version now; opens a review workspace when members changed. */
    public synchronized Outcome refresh(String actor, String trigger) {
        Optional<PolicyVersion> current = policies.current();
        if (current.isEmpty()) {
            return new Outcome(Optional.empty(), List.of(), Optional.empty(), false);
        }
        long version = current.get().id();
        PolicyBuild fresh = PolicyFiles.build(policies.files(version), sources);
        ResolutionSnapshot stored = policies.resolution(version).map(SnapshotJson::read)
                .orElse(new ResolutionSnapshot(clock.instant(), java.util.Map.of()));
        health.update(fresh.intent(), fresh.resolution());
        health.check();
        List<Change> changes = changes(fresh, stored);
        if (changes.isEmpty()) {
            return new Outcome(Optional.of(version), changes, Optional.empty(), false);
        }
        String name = name(changes);
        // open, or submitted and waiting for approval: the same change on the same version is not opened twice
        // (its name may carry a suffix when a workspace of that name was closed or based on another version)
        Optional<Workspace> same = db.read(h -> RefreshStore.sameChange(h, version, name)).flatMap(workspaces::get)
                .or(() -> workspaces.byName(name).filter(w -> w.baseVersionId().equals(Optional.of(version))
                        && w.state() != Workspace.State.CLOSED));
        if (same.isPresent()) {
            return new Outcome(Optional.of(version), changes, same, false);
        }
        // the same change on a newer version, or again after it was superseded: a new workspace
        String unique = workspaces.byName(name).isPresent() ? limited(name, " #" + clock.millis()) : name;
        // every dynamic group was asked, so this refresh covers whatever an older one changed
        Set<String> covered = fresh.intent().groups().values().stream().filter(Group::dynamic).map(Group::name)
                .collect(Collectors.toSet());
        String pinned = SnapshotJson.write(fresh.resolution());
        record Opened(Workspace workspace, List<RefreshStore.Superseded> superseded) {
        }
        Opened opened = db.write(h -> {
            Workspace created = WorkspaceStore.create(h, ACTOR, unique, Optional.empty());
            RefreshStore.open(h, created.id(), version, name, changes.stream().map(Change::group).toList(), pinned);
            return new Opened(created, RefreshStore.supersede(h, ACTOR, created.id(), unique, covered));
        });
        Workspace w = opened.workspace();
        // plans from the snapshot just compared, not from another lookup
        ChangeWorkflow.Built built = workflow.build(SYSTEM, w);
        AutoApplyDecision decision = autoApply(fresh, changes);
        String what = trigger + ": members of version " + version + " changed: " + changes.stream()
                .map(c -> c.group() + " added " + c.added() + " removed " + c.removed()).collect(Collectors.joining("; "))
                + "; workspace " + w.id() + " (build " + (built.build().ok() ? "ok" : "failed") + "); "
                + (opened.superseded().isEmpty() ? "" : "superseding workspace " + opened.superseded().stream()
                        .map(o -> Long.toString(o.workspaceId())).collect(Collectors.joining(", ")) + "; ");
        Optional<Long> deploying = Optional.empty();
        if (decision.within() && built.build().ok()) {
            deploying = deploy(w, unique, decision.why());
        }
        audit.append(actor, "groups.refresh", "workspace " + unique, what + deploying.map(id -> "deploying through auto-approved "
                + "change control " + id + " (" + decision.why() + ")").orElse("opened for review (" + decision.why() + ")"));
        return new Outcome(Optional.of(version), changes, workspaces.get(w.id()), true, deploying, opened.superseded());
    }

    /** Each dynamic group's source: when it last answered, whether it is stale. */
    public List<SourceHealth.Row> sourceHealth() {
        return health.rows();
    }

    /** Submits, approves without a second person (audited as such) and starts the change control; empty when it cannot. */
    private Optional<Long> deploy(Workspace w, String name, String why) {
        try {
            long id = submission.submit(SYSTEM, workspaces.get(w.id()).orElseThrow(), name).id();
            workflow.approveAutomatically(ACTOR, id, why);
            workflow.run(SYSTEM, id, false);
            return Optional.of(id);
        } catch (dev.septum.server.api.ApiError refused) {
            // it breaks observed sessions, or another change was approved at the same moment: the workspace stays for review
            audit.append(ACTOR, "groups.auto-apply.refused", "workspace " + name, refused.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Within limits when every changed group is marked {@code auto-apply}, at most its
     * {@code max-changed} members were added or removed, and no group a forward rule uses is
     * emptied (that would silently stop what the rule allows).
     */
    private static AutoApplyDecision autoApply(PolicyBuild fresh, List<Change> changes) {
        Set<String> forwarded = fresh.intent().policies().values().stream().flatMap(p -> p.rules().stream())
                .filter(r -> r.action() instanceof Action.Forward)
                .flatMap(r -> java.util.stream.Stream.concat(r.sources().stream(), r.destinations().stream()))
                .map(Ref::name).collect(Collectors.toSet());
        List<String> within = new ArrayList<>();
        for (Change c : changes) {
            Optional<AutoApply> limit = fresh.intent().groups().get(c.group()).autoApply();
            int changed = c.added().size() + c.removed().size();
            if (limit.isEmpty()) {
                return new AutoApplyDecision(false, "group " + c.group() + " is not marked auto-apply");
            }
            if (changed > limit.get().maxChanged()) {
                return new AutoApplyDecision(false, "group " + c.group() + ": " + changed + " members changed, more than its "
                        + "auto-apply max-changed " + limit.get().maxChanged());
            }
            if (forwarded.contains(c.group()) && fresh.model().groups().get(c.group()).members().isEmpty()) {
                return new AutoApplyDecision(false, "group " + c.group() + " would be emptied and a forward rule uses it");
            }
            within.add(c.group() + " " + changed + " changed, max-changed " + limit.get().maxChanged());
        }
        return new AutoApplyDecision(true, "auto-apply within limits: " + String.join("; ", within));
    }

    /**
     * Groups whose fresh members differ from the stored ones. A group that never resolved now is
     * no change (a failing source never empties a group); its build says why.
     */
    private static List<Change> changes(PolicyBuild fresh, ResolutionSnapshot stored) {
        List<Change> changes = new ArrayList<>();
        for (Group g : fresh.intent().groups().values()) {
            ResolvedGroup now = fresh.resolution().groups().get(g.name());
            if (!g.dynamic() || now == null || !now.resolved()) {
                continue;
            }
            Set<String> after = texts(now.addresses());
            Set<String> before = Optional.ofNullable(stored.groups().get(g.name())).map(r -> texts(r.addresses())).orElse(Set.of());
            if (!after.equals(before)) {
                changes.add(new Change(g.name(), after.stream().filter(a -> !before.contains(a)).toList(),
                        before.stream().filter(b -> !after.contains(b)).toList()));
            }
        }
        return changes;
    }

    private static Set<String> texts(List<IPAddress> addresses) {
        return addresses.stream().map(IPAddress::toCanonicalString).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * {@code members: web (+2 -1), db (+0 -1) [3f2a9c]}: the same change gets the same name, and
     * the tag (a hash of the members added and removed) tells two changes of equal size apart.
     */
    static String name(List<Change> changes) {
        String tag = " [" + HexFormat.of().formatHex(sha256(changes.toString())).substring(0, 8) + "]";
        return limited("members: " + changes.stream().map(Change::label).collect(Collectors.joining(", ")), tag);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String limited(String name, String suffix) {
        int room = NAME_LIMIT - suffix.length();
        return (name.length() > room ? name.substring(0, room - 3) + "..." : name) + suffix;
    }

    @Override
    public void close() {
        fileWatch.ifPresent(SourceFileWatch::close);
        scheduler.ifPresent(s -> {
            s.shutdownNow();
            try {
                if (!s.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("the group refresh did not stop within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
