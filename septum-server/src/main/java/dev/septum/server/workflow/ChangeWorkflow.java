package dev.septum.server.workflow;

import dev.septum.model.write.PolicyIdPins;
import dev.septum.compile.pipeline.GroupResolver;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.resolve.SnapshotJson;
import dev.septum.compile.diff.ConfigDiff;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.deploy.eapi.EapiException;
import dev.septum.deploy.nftables.SshTargetException;
import dev.septum.model.Device;
import dev.septum.model.load.LoadedPolicy;
import dev.septum.server.api.ApiError;
import dev.septum.server.api.Json;
import dev.septum.server.api.Views;
import dev.septum.server.build.PinnedResolution;
import dev.septum.server.build.PolicyFiles;
import dev.septum.server.build.StoredBuilds;
import dev.septum.server.build.WorkspaceBuild;
import dev.septum.server.db.Database;
import dev.septum.server.deploy.ChangeControlRunner;
import dev.septum.server.deploy.DeployScript;
import dev.septum.server.deploy.DeviceDeployer;
import dev.septum.server.deploy.DeviceStep;
import dev.septum.server.store.AuditLog;
import dev.septum.server.store.Build;
import dev.septum.server.store.ChangeControl;
import dev.septum.server.store.ChangeControl.State;
import dev.septum.server.store.ChangeControlBreakSets;
import dev.septum.server.store.ChangeControlStore;
import dev.septum.server.store.Clock;
import dev.septum.server.store.PolicyStore;
import dev.septum.server.store.PolicyVersion;
import dev.septum.server.store.RefreshStore;
import dev.septum.server.store.ResolutionStore;
import dev.septum.server.store.Role;
import dev.septum.server.store.TargetStore;
import dev.septum.server.store.User;
import dev.septum.server.store.Workspace;
import dev.septum.server.store.WorkspaceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The rules of the approval gate, in one place for the REST routes and any other client: build,
 * submit, approve, reject, withdraw, run, and the drift check and repair of one device.
 *
 * <ul>
 *   <li>A submitted version is pending; only its own change control, once approved by someone who
 *       neither edited the workspace nor submitted it, takes it to a device.</li>
 *   <li>Everything else (new workspaces, drift repair, counters, session tags) starts from the
 *       newest approved or deployed version ({@link PolicyStore#current}).</li>
 *   <li>An approval names the hash of the build it approved; a run deploys that build's device
 *       configs and nothing else, and refuses when the stored build no longer hashes the same.</li>
 * </ul>
 */
public final class ChangeWorkflow {
    /** How often a caller waiting for a run another server leads reads its state again. */
    private static final java.time.Duration RUN_POLL = java.time.Duration.ofMillis(200);
    private final Database db;
    private final PolicyStore policies;
    private final WorkspaceStore workspaces;
    private final ChangeControlStore changeControls;
    private final TargetStore targets;
    private final AuditLog audit;
    private final ChangeControlRunner runner;
    private final boolean fourEyes;
    /** Asks dynamic groups' sources for every new build; stored builds replay their snapshot instead. */
    private final GroupResolver sources;
    /** Devices being repaired now: one repair per device at a time. */
    private final Set<String> repairing = ConcurrentHashMap.newKeySet();
    private final DriftChecks driftChecks = new DriftChecks();

    public ChangeWorkflow(Database db, PolicyStore policies, WorkspaceStore workspaces, ChangeControlStore changeControls,
                          TargetStore targets, AuditLog audit, ChangeControlRunner runner, boolean fourEyes) {
        this(db, policies, workspaces, changeControls, targets, audit, runner, fourEyes, GroupResolver.STATIC);
    }

    public ChangeWorkflow(Database db, PolicyStore policies, WorkspaceStore workspaces, ChangeControlStore changeControls,
                          TargetStore targets, AuditLog audit, ChangeControlRunner runner, boolean fourEyes,
                          GroupResolver sources) {
        this.sources = sources;
        this.db = db;
        this.policies = policies;
        this.workspaces = workspaces;
        this.changeControls = changeControls;
        this.targets = targets;
        this.audit = audit;
        this.runner = runner;
        this.fourEyes = fourEyes;
    }

    /** A build and the diagnostics it answers with (JSON-shaped). */
    /** @param resolution the build's resolution snapshot as JSON, stored beside it */
    public record Built(Build build, List<Map<String, Object>> diagnostics, String resolution) {
    }

    /** Compiles a workspace against its base version and stores the build; refused once the workspace is submitted. */
    public Built build(User caller, Workspace w) {
        open(w);
        SortedMap<String, String> base = w.baseVersionId().map(policies::files).orElse(new TreeMap<>());
        // numbered as submit will pin them, so the reviewed build is the one that will be stored
        Built built = compile(caller.name(), w.id(), w.revision(), base, versionSnapshot(w.baseVersionId()),
                PolicyIdPins.pin(base, workspaces.files(w.id())), resolverFor(w, base));
        db.write(h -> {
            Workspace now = WorkspaceStore.get(h, w.id()).orElseThrow();
            if (now.state() != Workspace.State.OPEN) {
                throw conflictSubmitted(w);
            }
            WorkspaceStore.saveBuild(h, built.build());
            ResolutionStore.saveForWorkspace(h, w.id(), w.revision(), built.resolution());
            return null;
        });
        return built;
    }

    /** A stored version's own snapshot: the base of a diff shows what was deployed, not a fresh lookup. */
    private GroupResolver versionSnapshot(Optional<Long> versionId) {
        return versionId.map(id -> StoredBuilds.replay(policies.resolution(id))).orElse(GroupResolver.STATIC);
    }

    /**
     * The sources as they answer now; for a workspace a group refresh opened, the snapshot that
     * refresh captured (what its name and audit entry describe is exactly what is built and deployed).
     */
    private GroupResolver resolverFor(Workspace w, Map<String, String> baseFiles) {
        return db.read(h -> RefreshStore.pinned(h, w.id()))
                .map(json -> PinnedResolution.of(SnapshotJson.read(json), PolicyFiles.load(baseFiles).model(), sources))
                .orElse(sources);
    }

    private Built compile(String actor, long workspaceId, long revision, Map<String, String> base, GroupResolver baseSnapshot,
                          Map<String, String> files, GroupResolver resolver) {
        WorkspaceBuild.Outcome outcome = WorkspaceBuild.run(base, baseSnapshot, files, resolver);
        List<Map<String, Object>> diagnostics = new ArrayList<>(Views.diagnostics(outcome.diagnostics()));
        List<Build.TargetScript> scripts = outcome.ok() ? standInScripts(outcome.workspace(), diagnostics) : List.of();
        boolean ok = outcome.ok() && diagnostics.stream().noneMatch(d -> "error".equals(d.get("severity")));
        Build build = new Build(workspaceId, revision, ok, actor, Clock.now(), Json.write(diagnostics),
                Json.write(outcome.changes().stream().map(Views::change).toList()), outcome.devices(), scripts);
        return new Built(build, diagnostics, SnapshotJson.write(outcome.workspace().resolution()));
    }

    /** Scripts for bound targets whose driver does not run the device's own config, rendered now so that they are reviewed too. */
    private List<Build.TargetScript> standInScripts(PolicyBuild built, List<Map<String, Object>> diagnostics) {
        List<Build.TargetScript> scripts = new ArrayList<>();
        for (TargetStore.Target target : targets.list()) {
            try {
                runner.scriptFor(target, built).ifPresent(scripts::add);
            } catch (IllegalArgumentException refused) {
                String problem = "device '" + target.device() + "' on its " + target.driver() + " target: " + refused.getMessage();
                diagnostics.add(Views.map("severity", "error", "file", "", "line", 0, "column", 0, "object", "render", "field", "",
                        "problem", problem, "fix", "change the device or bind it to another target", "message", problem));
            }
        }
        return scripts;
    }

    /**
     * Submits a built workspace: its edits are merged onto the newest approved version (never a
     * pending one), stored as a pending version, and built again against what the devices run;
     * that build is what the approver reviews and what a run deploys.
     */
    public ChangeControl submit(User caller, Workspace w, String message) {
        return submit(caller, w, message, Optional.empty());
    }

    /**
     * How a workspace this workflow prepared (a rollback's, an import's) is submitted: by a person's
     * request through the break-set gate that every person's submit passes ({@code BreakSets.submit}).
     */
    @FunctionalInterface
    public interface Submission {
        ChangeControl submit(User caller, Workspace w, String message);
    }

    /** As {@link #submit(User, Workspace, String)}, keeping the break-set the submitter saw with the change control. */
    public ChangeControl submit(User caller, Workspace w, String message, Optional<ChangeControlBreakSets.Kept> breakSet) {
        open(w);
        Build b = workspaces.build(w.id()).orElseThrow(() -> ApiError.notFound("a build of workspace " + w.id(),
                "build it with POST /api/workspaces/" + w.id() + "/build"));
        if (!b.ok() || b.revision() != w.revision()) {
            throw ApiError.conflict("build", b.ok() ? "the build is stale: the workspace was edited after it"
                    : "the latest build failed", "build again with POST /api/workspaces/" + w.id() + "/build and review it");
        }
        Optional<PolicyVersion> current = policies.current();
        Optional<PolicyVersion> running = db.read(PolicyStore::deployed);
        Map<String, String> base = w.baseVersionId().map(v -> (Map<String, String>) policies.files(v)).orElse(Map.of());
        Map<String, String> currentFiles = current.map(v -> (Map<String, String>) policies.files(v.id())).orElse(Map.of());
        SortedMap<String, String> merged = switch (FileMerge.merge(base, currentFiles, workspaces.files(w.id()))) {
            // the files are as they were, but a dynamic group's members may not be: the review build decides
            case FileMerge.Result.NothingChanged n -> new TreeMap<>(currentFiles);
            case FileMerge.Result.Conflict c -> throw new ApiError(409, "files", "version " + current.map(PolicyVersion::id).orElse(0L)
                    + " changed " + (c.objects().isEmpty() ? String.join(", ", c.files()) : String.join(", ", c.objects()))
                    + " after this workspace was created from version " + w.baseVersionId().orElse(0L)
                    + " and this workspace changed them too; submitting would undo that change",
                    "create a new workspace from the newest approved version, reapply this change there, build and submit",
                    Map.of("conflicts", c.files(), "objects", c.objects(), "newestVersion", current.map(PolicyVersion::id).orElse(0L)));
            // policy numbers are pinned once, so adding a policy never renumbers an untouched switch's
            case FileMerge.Result.Merged m -> PolicyIdPins.pin(currentFiles, m.files());
        };
        Map<String, String> runningFiles = running.map(v -> (Map<String, String>) policies.files(v.id())).orElse(Map.of());
        Built review = compile(caller.name(), w.id(), w.revision(), runningFiles, versionSnapshot(running.map(PolicyVersion::id)),
                merged, resolverFor(w, base));
        boolean dynamic = PolicyFiles.load(merged).model().groups().values().stream().anyMatch(dev.septum.model.Group::dynamic);
        if (merged.equals(currentFiles) && (!dynamic || review.build().devices().stream().noneMatch(Build.DeviceBuild::changed))) {
            throw ApiError.badRequest("files", "the workspace changes nothing", "edit a file first, or delete the workspace");
        }
        if (!review.build().ok()) {
            throw new ApiError(409, "files", "combined with the newest approved version, the policy has errors",
                    "create a new workspace from the newest approved version and reapply the change",
                    Map.of("diagnostics", review.diagnostics()));
        }
        List<String> devices = deviceOrder(PolicyFiles.load(merged));
        long ccId;
        try {
            ccId = db.write(h -> {
                Workspace now = WorkspaceStore.get(h, w.id()).orElseThrow();
                if (now.revision() != w.revision() || now.state() != Workspace.State.OPEN) {
                    throw ApiError.conflict("build", "the workspace changed while submitting", "build again and submit");
                }
                if (!PolicyStore.current(h).map(PolicyVersion::id).equals(current.map(PolicyVersion::id))
                        || !PolicyStore.deployed(h).map(PolicyVersion::id).equals(running.map(PolicyVersion::id))) {
                    throw ApiError.conflict("files", "another change was approved or deployed at the same moment",
                            "submit again; it will be merged onto it");
                }
                PolicyVersion v = PolicyStore.append(h, caller.name(), "workspace " + w.name() + ": " + message, merged,
                        PolicyVersion.State.PENDING);
                WorkspaceStore.saveBuild(h, review.build());
                ResolutionStore.saveForWorkspace(h, w.id(), w.revision(), review.resolution());
                ResolutionStore.saveForVersion(h, v.id(), review.resolution());
                long id = ChangeControlStore.create(h, caller.name(), now, current.map(PolicyVersion::id), running.map(PolicyVersion::id),
                        v.id(), message, devices);
                breakSet.ifPresent(kept -> ChangeControlBreakSets.put(h, id, kept));
                return id;
            });
        } catch (UnableToExecuteStatementException raced) {
            // the UNIQUE parent of policy_versions: another submit stored a version at the same moment
            throw ApiError.conflict("files", "another change was stored at the same moment", "submit again; it will be checked against it");
        }
        return changeControls.get(ccId).orElseThrow();
    }

    /** The canary (stage 1) is the first device that will really be deployed: bound devices first, in model order. */
    private List<String> deviceOrder(LoadedPolicy loaded) {
        Set<String> targeted = targets.list().stream().map(TargetStore.Target::device).collect(Collectors.toSet());
        List<String> devices = new ArrayList<>();
        loaded.model().devices().values().stream().map(Device::name).filter(targeted::contains).forEach(devices::add);
        loaded.model().devices().values().stream().map(Device::name).filter(d -> !targeted.contains(d)).forEach(devices::add);
        return devices;
    }

    /**
     * Imports a policy directory. Into an empty store it is the first version, approved by the
     * import (there is nothing to review it against). Otherwise it is a change like any other: a
     * workspace holding the files, built and submitted, waiting for another user's approval.
     */
    public Map<String, Object> importFiles(User caller, String message, SortedMap<String, String> files, Submission submission) {
        // the first version is stored without a review; its groups are still resolved once and kept with it
        Optional<String> resolution = db.read(PolicyStore::head).isPresent() ? Optional.empty()
                : Optional.of(SnapshotJson.write(PolicyFiles.build(files, sources).resolution()));
        Optional<PolicyVersion> first = db.write(h -> {
            if (PolicyStore.head(h).isPresent() || resolution.isEmpty()) {
                return Optional.<PolicyVersion>empty();
            }
            PolicyVersion v = PolicyStore.append(h, caller.name(), message, files, PolicyVersion.State.APPROVED);
            ResolutionStore.saveForVersion(h, v.id(), resolution.get());
            return Optional.of(v);
        });
        if (first.isPresent()) {
            return Views.map("version", Views.version(first.get(), List.copyOf(files.keySet())));
        }
        ChangeControl cc = submitFiles(caller, "import", message, files, submission);
        PolicyVersion v = policies.version(cc.versionId()).orElseThrow();
        return Views.map("version", Views.version(v, List.copyOf(files.keySet())), "changeControl", Views.changeControl(cc));
    }

    /**
     * Rolls the policy back to an earlier version that was approved: its files become a change
     * like any other, built against what the devices run, submitted through {@code submission}
     * (the break-set gate) and approved by another user, so a rollback is reviewed and four-eyed
     * too and lands on the devices through its own run.
     */
    public ChangeControl rollback(User caller, long versionId, String message, Submission submission) {
        PolicyVersion target = policies.version(versionId).orElseThrow(() -> ApiError.notFound("version " + versionId,
                "list versions with GET /api/versions"));
        if (target.state() != PolicyVersion.State.APPROVED && target.state() != PolicyVersion.State.DEPLOYED) {
            throw ApiError.conflict("state", "version " + versionId + " is " + target.state().key() + "; only a version that was "
                    + "approved can be rolled back to", "pick an approved or deployed version from GET /api/versions");
        }
        SortedMap<String, String> files = policies.files(versionId);
        if (policies.current().map(c -> policies.files(c.id()).equals(files)).orElse(false)) {
            throw ApiError.badRequest("id", "version " + versionId + " holds exactly the newest approved policy; there is nothing to roll back",
                    "pick an older version from GET /api/versions");
        }
        return submitFiles(caller, "rollback-to-" + versionId, "roll back to version " + versionId + ": " + message, files, submission);
    }

    /** A workspace holding these files whole, built and submitted: the change control waits for approval. */
    private ChangeControl submitFiles(User caller, String purpose, String message, SortedMap<String, String> files, Submission submission) {
        String name = purpose + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Workspace w = db.write(h -> WorkspaceStore.create(h, caller.name(), name, Optional.of(files)));
        build(caller, w);
        return submission.submit(caller, workspaces.get(w.id()).orElseThrow(), message);
    }

    /** Four eyes over authorship: whoever edited the workspace or submitted it may not approve it. */
    public ChangeControl approve(User caller, long id) {
        ChangeControl cc = find(id);
        if (fourEyes) {
            Set<String> authors = new TreeSet<String>(db.<Set<String>, RuntimeException>read(h -> WorkspaceStore.authors(h, cc.workspaceId())));
            authors.add(cc.submittedBy());
            if (authors.contains(caller.name())) {
                String why = cc.submittedBy().equals(caller.name()) ? "was submitted by " + caller.name() : "was edited by " + caller.name();
                throw new ApiError(403, "", "change control " + id + " " + why + "; the four-eyes rule needs an approver who "
                        + "neither edited nor submitted it (authors: " + String.join(", ", authors) + ")",
                        "ask a different user with the approver role to approve it");
            }
        }
        return approveBuild(caller.name(), id, "approved build ");
    }

    /**
     * Approves a change control without a second person: only for a membership change of groups
     * marked {@code auto-apply} that is within their limits ({@link GroupRefresh}). The audit log
     * says that the four-eyes rule was waived, and why.
     */
    ChangeControl approveAutomatically(String actor, long id, String why) {
        audit.append(actor, "change-control.auto-approve", "change-control " + id, "four-eyes rule waived: " + why);
        return approveBuild(actor, id, "auto-approved (four-eyes waived: " + why + ") build ");
    }

    private ChangeControl approveBuild(String actor, long id, String detail) {
        db.write(h -> {
            ChangeControl now = ChangeControlStore.get(h, id).orElseThrow();
            if (now.state() != State.PENDING_APPROVAL) {
                throw ApiError.conflict("state", "change control " + id + " is " + now.state().key() + ", not pending-approval",
                        "only a submitted change control can be approved");
            }
            Optional<Long> current = PolicyStore.current(h).map(PolicyVersion::id);
            if (!current.equals(now.baseVersionId())) {
                throw ApiError.conflict("state", "version " + current.orElse(0L) + " was approved after change control " + id
                        + " was submitted onto version " + now.baseVersionId().orElse(0L) + "; approving it would undo that change",
                        "withdraw it (POST /api/change-controls/" + id + "/withdraw), build the workspace again and submit it");
            }
            Build b = WorkspaceStore.build(h, now.workspaceId()).filter(Build::ok).orElseThrow(() -> ApiError.conflict("build",
                    "change control " + id + " has no successful build to approve", "withdraw it, build the workspace again and submit it"));
            String hash = b.hash();
            ChangeControlStore.transition(h, actor, id, State.PENDING_APPROVAL, State.APPROVED, detail + hash);
            ChangeControlStore.approvedHash(h, id, hash);
            PolicyStore.setState(h, now.versionId(), PolicyVersion.State.APPROVED);
            return null;
        });
        return find(id);
    }

    /** An approver refuses the change: its version never runs, and the workspace opens again for rework. */
    public ChangeControl reject(User caller, long id, String reason) {
        return end(caller, id, Set.of(State.PENDING_APPROVAL), State.REJECTED, PolicyVersion.State.REJECTED, "rejected: " + reason);
    }

    /** The submitter (or an admin) takes the change back before it runs. */
    public ChangeControl withdraw(User caller, long id) {
        ChangeControl cc = find(id);
        if (!cc.submittedBy().equals(caller.name()) && !caller.role().includes(Role.ADMIN)) {
            throw new ApiError(403, "", "change control " + id + " was submitted by " + cc.submittedBy(),
                    "ask " + cc.submittedBy() + " or an admin to withdraw it");
        }
        return end(caller, id, Set.of(State.PENDING_APPROVAL, State.APPROVED), State.WITHDRAWN, PolicyVersion.State.WITHDRAWN, "withdrawn");
    }

    private ChangeControl end(User caller, long id, Set<State> from, State to, PolicyVersion.State versionState, String detail) {
        find(id);
        db.write(h -> {
            ChangeControl now = ChangeControlStore.get(h, id).orElseThrow();
            if (!from.contains(now.state()) || !ChangeControlStore.transition(h, caller.name(), id, now.state(), to, detail)) {
                throw ApiError.conflict("state", "change control " + id + " is " + now.state().key(),
                        "only a change control that is " + from.stream().map(State::key).sorted().collect(Collectors.joining(" or "))
                                + " can be " + to.key());
            }
            PolicyStore.setState(h, now.versionId(), versionState);
            WorkspaceStore.reopen(h, now.workspaceId());
            return null;
        });
        return find(id);
    }

    /**
     * Starts an approved change control: only while its stored build still hashes to the approved
     * one, and never over a newer deployed version (that would undo it). {@code wait}: returns when
     * every device has its result, on whichever server leads.
     */
    public ChangeControl run(User caller, long id, boolean wait) throws InterruptedException {
        db.write(h -> {
            ChangeControl cc = ChangeControlStore.get(h, id).orElseThrow(() -> notFound(id));
            if (cc.state() != State.APPROVED) {
                throw ApiError.conflict("state", "change control " + id + " is " + cc.state().key() + ", not approved",
                        cc.state() == State.PENDING_APPROVAL ? "have another user approve it first"
                                : "a change control runs once; submit a new workspace to deploy again");
            }
            Optional<PolicyVersion> deployed = PolicyStore.deployed(h);
            if (deployed.isPresent() && deployed.get().id() > cc.versionId()) {
                throw ApiError.conflict("state", "version " + deployed.get().id() + " was deployed after change control " + id
                        + " was approved; running it would undo that", "withdraw it; its change is already part of the newer version or must be resubmitted");
            }
            Optional<Build> stored = WorkspaceStore.build(h, cc.workspaceId());
            if (stored.isEmpty() || cc.approvedHash().isEmpty() || !stored.get().hash().equals(cc.approvedHash().get())) {
                throw ApiError.conflict("build", "the stored build of change control " + id + " is not the build that was approved "
                        + "(approved " + cc.approvedHash().orElse("none") + ", stored " + stored.map(Build::hash).orElse("none") + ")",
                        "withdraw it, build the workspace again, submit and have it approved again");
            }
            ChangeControlStore.transition(h, caller.name(), id, State.APPROVED, State.RUNNING, "run build " + cc.approvedHash().get());
            return null;
        });
        // whichever server leads runs it: this one when it leads, else the leader's next check picks it up
        List<ChangeControlRunner.Run> started = runner.dispatch();
        if (wait) {
            Optional<ChangeControlRunner.Run> here = started.stream().filter(r -> r.claim().id() == id).findFirst();
            if (here.isPresent()) {
                here.get().thread().join();
            }
            while (find(id).state() == State.RUNNING) {
                Thread.sleep(RUN_POLL);
            }
        }
        return find(id);
    }

    public ChangeControl find(long id) {
        return changeControls.get(id).orElseThrow(() -> notFound(id));
    }

    private static ApiError notFound(long id) {
        return ApiError.notFound("change control " + id, "list change controls with GET /api/change-controls");
    }

    private static Workspace open(Workspace w) {
        if (w.state() != Workspace.State.OPEN) {
            throw conflictSubmitted(w);
        }
        return w;
    }

    private static ApiError conflictSubmitted(Workspace w) {
        return ApiError.conflict("id", "workspace " + w.id() + " is " + w.state().key() + " and can no longer change",
                "create a new workspace for further changes, or withdraw its change control");
    }

    /** What a device should run: the newest approved version's config for it, rendered by its target's driver. */
    public record Designed(String device, TargetStore.Target target, PolicyVersion version, DeviceDeployer deployer, DeployScript script) {
    }

    /** A drift check: the designed config against what the device holds, read back now. */
    public record Drift(Designed designed, DeviceDeployer.Comparison comparison) {
        public String diff() {
            List<String> diff = ConfigDiff.unified(designed.device() + " (running)", comparison.running(), comparison.designed());
            return String.join("\n", diff) + (diff.isEmpty() ? "" : "\n");
        }
    }

    public Drift drift(String device) {
        Designed d = designed(device);
        return new Drift(d, readBack(d));
    }

    private Designed designed(String device) {
        TargetStore.Target target = targets.get(device).orElseThrow(() -> ApiError.notFound("a deploy target for " + device,
                "bind one with PUT /api/targets/" + device));
        PolicyVersion current = policies.current().orElseThrow(() -> ApiError.notFound("an approved policy version",
                "import one with POST /api/versions, or have a change control approved"));
        PolicyBuild build = StoredBuilds.version(policies, current.id());
        build.plan(device).orElseThrow(() -> ApiError.notFound(
                "device " + device + " in version " + current.id(), "check the device name against GET /api/versions/" + current.id() + "/files"));
        DeviceDeployer deployer = runner.deployer(target.driver()).orElseThrow(() -> ApiError.conflict("driver",
                "this server has no driver '" + target.driver() + "'", "bind the device to one of " + runner.drivers()));
        return new Designed(device, target, current, deployer, deployer.render(build, device, target));
    }

    /** The repair's answer: the device, the version put back and the step's state and message. */
    public record Repair(String device, long version, String driver, String state, String message, boolean inSync) {
    }

    /**
     * Puts the newest approved version's config back on one drifted device through the change
     * controls' own step (atomic apply, read-back, restore on a mismatch). A pending version is
     * never the designed state, so a repair cannot deploy what nobody approved.
     */
    public Repair repair(User caller, String device) {
        Designed d = designed(device);
        changeControls.running().stream().filter(cc -> cc.devices().stream().anyMatch(r -> r.device().equals(device)))
                .findFirst().ifPresent(cc -> {
                    throw ApiError.conflict("device", "change control " + cc.id() + " is deploying to " + device + " now",
                            "wait until GET /api/change-controls/" + cc.id() + " is done, then check the drift again");
                });
        if (!repairing.add(device)) {
            throw ApiError.conflict("device", "a drift repair of " + device + " is already running", "wait for it to finish");
        }
        try {
            if (readBack(d).inSync()) {
                throw ApiError.conflict("device", "device " + device + " already runs version " + d.version().id()
                        + "'s config: there is no drift to repair", "nothing to do; GET /api/devices/" + device + "/drift shows the comparison");
            }
            String where = d.target().driver() + " " + d.target().address();
            audit.append(caller.name(), "drift.repair.start", "device " + device, "redeploying version " + d.version().id() + " to " + where);
            DeviceStep.Result result = DeviceStep.run(d.deployer(), d.target(), d.script());
            String state = switch (result) {
                case DeviceStep.Result.Succeeded ok -> ChangeControl.DeviceState.SUCCEEDED.key();
                case DeviceStep.Result.Failed f -> ChangeControl.DeviceState.FAILED.key();
                case DeviceStep.Result.RolledBack r -> ChangeControl.DeviceState.ROLLED_BACK.key();
                case DeviceStep.Result.Unknown u -> ChangeControl.DeviceState.UNKNOWN.key();
            };
            audit.append(caller.name(), "drift.repair", "device " + device, state + ": " + result.message());
            if (!(result instanceof DeviceStep.Result.Succeeded)) {
                Map<String, Object> body = Views.map("device", device, "version", d.version().id(), "driver", d.target().driver(),
                        "state", state, "message", result.message());
                throw new ApiError(502, "device", "the repair of " + device + " did not complete (" + state + "): " + result.message(),
                        state.equals("unknown") ? "read the device back with GET /api/devices/" + device + "/drift before trusting it"
                                : "the device is as it was; fix the cause, then repair again", body);
            }
            return new Repair(device, d.version().id(), d.target().driver(), state, result.message(), readBack(d).inSync());
        } finally {
            repairing.remove(device);
        }
    }

    /** The last drift check of each device on this server, as /metrics and the dashboard show it. */
    public DriftChecks driftChecks() {
        return driftChecks;
    }

    /**
     * Reads the device back and keeps what it found as the device's last drift check; a device that
     * cannot be read is its own clear error (502), not a server fault.
     */
    private DeviceDeployer.Comparison readBack(Designed d) {
        try {
            DeviceDeployer.Comparison comparison = d.deployer().compare(d.target(), d.script());
            driftChecks.record(d.device(), d.version().id(), comparison.inSync());
            return comparison;
        } catch (SshTargetException | EapiException | IllegalStateException e) {
            String message = e instanceof EapiException eapi ? eapi.describe() : e.getMessage();
            throw new ApiError(502, "device", "cannot read " + d.device() + " back: " + message,
                    "fix the device or its target (PUT /api/targets/" + d.device() + "), then retry");
        }
    }
}
