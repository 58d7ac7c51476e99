package dev.septum.builder.recommend;

import dev.septum.builder.tag.PolicySessionTagger;
import dev.septum.compile.pipeline.GroupResolver;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.store.FlowStore;
import dev.septum.flows.store.SessionClass;
import dev.septum.flows.store.SessionQuery;
import dev.septum.flows.store.SessionSource;
import dev.septum.model.Device;
import dev.septum.model.Group;
import dev.septum.model.Policy;
import dev.septum.model.PolicyModel;
import dev.septum.model.Protocol;
import dev.septum.model.Ref;
import dev.septum.model.Rule;
import dev.septum.model.SecurityDomain;
import dev.septum.model.Service;
import dev.septum.model.write.PolicyWriter;
import dev.septum.model.write.YamlObjectEditor;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SequencedMap;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Policy Builder's recommender ("BoundedLift"): stored sessions and a policy in, the fewest
 * allow rules that pass every legitimate session out, with over-permission within β, precision
 * at least τ per rule, and each rule's evidence. Steps: sort the sessions ({@link TrainingSet}),
 * map endpoints to cells ({@link Estate}), merge server ports within the slack
 * ({@link PortRanges}), cover the observed edges ({@link BoundedCover}), compact
 * ({@link Compaction}), name the objects ({@link ProposalObjects}), write them, and prove the
 * result on the policy ({@link ProposalCheck}). Read docs/builder.md for the definitions.
 */
public final class Recommender {
    private Recommender() {
    }

    /**
     * @param policyFiles the policy directory as file name to text
     * @param sessions    the stored sessions of the time window
     */
    public static Recommendation recommend(Map<String, String> policyFiles, String label, List<SessionRow> sessions,
                                           RecommendRequest request) {
        return recommend(policyFiles, label, sessions, request, GroupResolver.STATIC);
    }

    /** @param resolver asks dynamic groups' sources; the proposal is checked against the same snapshot */
    public static Recommendation recommend(Map<String, String> policyFiles, String label, List<SessionRow> sessions,
                                           RecommendRequest request, GroupResolver resolver) {
        return recommend(policyFiles, label, request, resolver, starts -> sessions.stream().map(r -> new SessionClass(r, 1)).toList(),
                Progress.NONE);
    }

    /** As the next, for a policy of static groups only. */
    public static Recommendation recommend(Map<String, String> policyFiles, String label, FlowStore store, SessionQuery query,
                                           RecommendRequest request) throws SQLException {
        return recommend(policyFiles, label, store, query, request, GroupResolver.STATIC);
    }

    /**
     * As {@link #recommend(Map, String, List, RecommendRequest, GroupResolver)} on the sessions
     * {@code query} reads from {@code store}, folded inside the store into classes of sessions the
     * policy cannot tell apart (the same proposal and evidence, without a Java row per session).
     */
    public static Recommendation recommend(Map<String, String> policyFiles, String label, FlowStore store, SessionQuery query,
                                           RecommendRequest request, GroupResolver resolver) throws SQLException {
        return recommend(policyFiles, label, store, query, request, resolver, Progress.NONE);
    }

    /** As the previous, telling {@code progress} each step as it starts (a server's run shows it while polled). */
    public static Recommendation recommend(Map<String, String> policyFiles, String label, FlowStore store, SessionQuery query,
                                           RecommendRequest request, GroupResolver resolver, Progress progress) throws SQLException {
        return recommend(policyFiles, label, SessionSource.of(store), query, request, resolver, progress);
    }

    /** As the previous, on any store: a node's DuckDB file or the central store of every node. */
    public static Recommendation recommend(Map<String, String> policyFiles, String label, SessionSource store, SessionQuery query,
                                           RecommendRequest request, GroupResolver resolver, Progress progress) throws SQLException {
        return recommend(policyFiles, label, request, resolver, starts -> store.queryClasses(query, starts), progress);
    }

    /** Told each step of a run as it starts. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (step, steps, what) -> { };

        void step(int step, int steps, String what);
    }

    /** Reads the sessions, given the client port classes the policy cannot tell apart. */
    private interface SessionReader<E extends Exception> {
        List<SessionClass> read(int[] clientPortClassStarts) throws E;
    }

    private static <E extends Exception> Recommendation recommend(Map<String, String> policyFiles, String label,
                                                                  RecommendRequest request, GroupResolver resolver,
                                                                  SessionReader<E> read, Progress progress) throws E {
        progress.step(1, 4, "building the policy and reading the stored sessions");
        BuiltPolicies.Built built = BuiltPolicies.of(label, policyFiles, resolver, request.device());
        PolicyBuild build = built.build();
        if (!build.ok()) {
            throw new RecommendRefused(label + " has " + build.errors().size() + " error(s), first: "
                    + build.errors().getFirst().format() + " (run 'septum validate' on it)");
        }
        PolicyModel model = build.model();
        checkRequest(model, build, request);
        PolicySessionTagger tagger = built.tagger().orElseThrow(() -> new RecommendRefused(
                request.device().map(d -> "no device '" + d + "' with a traffic-policy in " + label)
                        .orElse(label + " has no device with a traffic-policy: the builder needs the enforcing device whose rules decide")));
        List<SessionClass> sessions = read.read(tagger.clientPortClassStarts());
        progress.step(2, 4, "sorting " + sessions.size() + " session classes and covering the observed edges");
        TrainingSet training = TrainingSet.sort(model, tagger, sessions, request.selection());
        Estate estate = new Estate(model, request.categories(), request.boundary());
        List<Edge> edges = edges(estate, training.evidence());
        Map<Integer, List<PortRanges.Range>> ranges = ranges(edges, request.portSlack());
        BoundedCover.Result cover = BoundedCover.cover(estate, edges, ranges, request.budget(), request.minPrecision());
        List<Compaction.Draft> drafts = Compaction.compact(cover.chosen(), Compaction.commonServices(edges));

        progress.step(3, 4, "writing " + drafts.size() + " rules");
        Recommendation.Placement placement = placement(model, tagger.device(), training, request.placement());
        ProposalObjects objects = new ProposalObjects(model);
        List<Rule> rules = new ArrayList<>();
        List<Recommendation.ProposedRule> proposed = new ArrayList<>();
        for (Compaction.Draft d : drafts) {
            List<String> sources = d.sources().stream().map(objects::group).toList();
            List<String> destinations = d.destinations().stream().map(objects::group).toList();
            String service = objects.service(d.items());
            Evidence evidence = Evidence.of(estate, edges, d);
            // no description: it would render as one '!!' line per match; the evidence is in the proposal's JSON (docs/builder.md)
            Rule rule = objects.rule(sources, destinations, service, "");
            rules.add(rule);
            proposed.add(evidence.rule(rule, d, service));
        }
        SortedMap<String, String> files = files(policyFiles, model, objects.newGroups(), objects.newServices(), rules, placement);
        progress.step(4, 4, "proving the proposal: build, replay, semantic diff");
        Map<String, String> combined = new TreeMap<>(policyFiles);
        combined.putAll(files);
        PolicyBuild after = PolicyBuild.of(PolicySource.files(label + " with the proposal", combined),
                GroupResolver.replay(build.resolution()));
        ProposalCheck.Outcome outcome = ProposalCheck.check(build, after, tagger.device(),
                training.evidence(),
                Set.copyOf(rules.stream().map(Rule::name).toList()));

        boolean precision = proposed.stream().allMatch(r -> r.precision() >= request.minPrecision() - 1e-9);
        boolean withinBudget = cover.overPermission() <= cover.budget() + 1e-9;
        boolean strict = request.budget() > 0 || cover.overPermission() == 0;
        List<String> problems = new ArrayList<>(outcome.problems());
        Recommendation.Guarantees guarantees = new Recommendation.Guarantees(outcome.replayed(), outcome.replayAllowed(),
                withinBudget, precision, strict, outcome.placementProven(), outcome.builds(), problems);
        Recommendation.Totals totals = new Recommendation.Totals(
                sessions.stream().mapToLong(SessionClass::sessions).sum(), training.evidenceSessions(),
                training.count(TrainingSet.Excluded.OUTSIDE_SELECTION), training.count(TrainingSet.Excluded.FAILED_ATTEMPT),
                training.count(TrainingSet.Excluded.NO_DIRECTION), training.count(TrainingSet.Excluded.ALREADY_ALLOWED),
                training.count(TrainingSet.Excluded.DENIED_BY_RULE), edges.size(), rules.size(), request.budget(),
                request.minPrecision(), request.portSlack(), cover.observedWeight(), cover.overPermission(),
                cover.observedWeight() == 0 ? 0 : cover.overPermission() / cover.observedWeight(), outcome.configLinesAdded(),
                outcome.commandLinesAdded());
        return new Recommendation(proposed, Probes.of(training), totals, guarantees, files,
                objects.newGroups().stream().map(Group::name).toList(), objects.newServices().stream().map(Service::name).toList(),
                placement, new Recommendation.Objects(rules, objects.newGroups(), objects.newServices()));
    }

    private static void checkRequest(PolicyModel model, PolicyBuild build, RecommendRequest request) {
        Set<String> known = new TreeSet<>();
        model.groups().values().forEach(g -> known.addAll(g.categories().keySet()));
        for (String c : request.categories()) {
            if (!known.contains(c)) {
                throw new RecommendRefused("no group has the category '" + c + "' (categories: "
                        + (known.isEmpty() ? "none; add 'categories: {key: value}' to groups" : String.join(", ", known)) + ")", "categories");
            }
        }
        for (String c : request.boundary()) {
            if (!known.contains(c)) {
                throw new RecommendRefused("--boundary " + c + ": no group has this category (categories: " + String.join(", ", known) + ")", "boundary");
            }
        }
        switch (request.selection()) {
            case RecommendRequest.Selection.All a -> { }
            case RecommendRequest.Selection.ByMonitor m -> {
                if (!model.monitors().containsKey(m.monitor())) {
                    throw new RecommendRefused("no monitor object '" + m.monitor() + "' (monitors: "
                            + String.join(", ", model.monitors().keySet()) + ")", "monitor");
                }
            }
            case RecommendRequest.Selection.ByRule r -> {
                boolean exists = model.policies().values().stream().flatMap(p -> p.rules().stream()).anyMatch(x -> x.name().equals(r.ruleOrMatch()))
                        || build.plans().stream().flatMap(p -> p.trafficPolicies().stream()).flatMap(tp -> tp.matches().stream())
                        .anyMatch(m -> m.name().equals(r.ruleOrMatch()));
                if (!exists) {
                    throw new RecommendRefused("no rule or match '" + r.ruleOrMatch() + "' in the policy (see 'septum compile' for match names)", "rule");
                }
            }
        }
        if (request.placement() instanceof RecommendRequest.Placement.Into into && !model.policies().containsKey(into.policy())) {
            throw new RecommendRefused("--into " + into.policy() + ": no such policy (policies: " + String.join(", ", model.policies().keySet()) + ")", "into");
        }
        if (request.placement() instanceof RecommendRequest.Placement.NewPolicy p && model.policies().containsKey(p.name())) {
            throw new RecommendRefused("--policy-name " + p.name() + ": a policy of that name exists; use --into " + p.name()
                    + " to add rules to it, or another name", "policyName");
        }
    }

    /** One edge per (client cell, server cell, protocol, server port), with its sessions' evidence. */
    private static List<Edge> edges(Estate estate, List<TrainingSet.Evidence> evidence) {
        Map<String, Edge> edges = new LinkedHashMap<>();
        for (TrainingSet.Evidence ev : evidence) {
            SessionRow r = ev.row();
            int c = estate.cellOf(r.clientAddr());
            int s = estate.cellOf(r.serverAddr());
            boolean ports = r.protocol() >= 0 && r.protocol() <= 255 && new Protocol(r.protocol()).hasPorts();
            int port = ports ? r.server().port() : Edge.NO_PORT;
            Edge e = edges.computeIfAbsent(c + "/" + s + "/" + r.protocol() + "/" + port,
                    k -> new Edge(c, s, r.protocol(), port, estate.cell(c).addresses() * estate.cell(s).addresses()));
            e.sessions += ev.sessions();
            e.firstMillis = Math.min(e.firstMillis, r.firstMillis());
            e.lastMillis = Math.max(e.lastMillis, r.lastMillis());
            e.clients.add(r.clientAddr());
            e.servers.add(r.serverAddr());
            Edge.Confidence conf = confidence(r.evidence());
            if (conf.compareTo(e.confidence) > 0) {
                e.confidence = conf;
            }
        }
        return List.copyOf(edges.values());
    }

    private static Edge.Confidence confidence(DirectionEvidence evidence) {
        return switch (evidence) {
            case TCP_FLAGS, BIFLOW_INITIATOR, ICMP_TYPE -> Edge.Confidence.HIGH;
            case PORTS, FAN_IN -> Edge.Confidence.MEDIUM;
            case FIRST_SEEN, NONE -> Edge.Confidence.LOW;
        };
    }

    private static Map<Integer, List<PortRanges.Range>> ranges(List<Edge> edges, int slack) {
        Map<Integer, NavigableSet<Integer>> ports = new HashMap<>();
        edges.stream().filter(e -> e.port != Edge.NO_PORT).forEach(e ->
                ports.computeIfAbsent(BoundedCover.serverProtoKey(e.serverCell, e.protocol), k -> new TreeSet<>()).add(e.port));
        Map<Integer, List<PortRanges.Range>> out = new HashMap<>();
        ports.forEach((k, set) -> out.put(k, PortRanges.of(set, slack)));
        return out;
    }

    /**
     * A new policy goes into the enforcing device's domain, in the VRF of the policy that decided the
     * evidence (else the domain's first), ordered before that domain and VRF's policies. Rules into a
     * policy go before its first rule that decided evidence or its drop-else, whichever comes first.
     */
    private static Recommendation.Placement placement(PolicyModel model, String device, TrainingSet training,
                                                      RecommendRequest.Placement asked) {
        Device d = model.devices().get(device);
        SecurityDomain domain = model.domainOf(d).orElseThrow(() -> new RecommendRefused("device " + device + " is in no domain"));
        return switch (asked) {
            case RecommendRequest.Placement.Into into -> {
                Policy p = model.policies().get(into.policy());
                String before = p.rules().stream()
                        .filter(r -> training.decidingRules().contains(p.name() + "/" + r.name()) || TrainingSet.catchAll(r))
                        .map(Rule::name).findFirst().orElse("");
                yield new Recommendation.Placement(p.name(), p.domain().name(), p.vrf().name(), false, p.priority(), before);
            }
            case RecommendRequest.Placement.NewPolicy np -> {
                String vrf = training.decidingRules().stream().map(k -> model.policies().get(k.substring(0, k.indexOf('/'))))
                        .filter(p -> p.domain().name().equals(domain.name())).map(p -> p.vrf().name()).findFirst()
                        .orElse(domain.vrfs().isEmpty() ? "ALL" : domain.vrfs().getFirst());
                int lowest = model.policies().values().stream()
                        .filter(p -> p.domain().name().equals(domain.name()) && p.vrf().name().equals(vrf))
                        .mapToInt(Policy::priority).min().orElse(Policy.DEFAULT_PRIORITY + 1);
                yield new Recommendation.Placement(np.name(), domain.name(), vrf, true, Math.max(0, lowest - 1), "");
            }
        };
    }

    /** The proposal's files: new objects (and the new policy) in a file of their own, or the rewritten file of the --into policy. */
    static SortedMap<String, String> files(Map<String, String> policyFiles, PolicyModel model, List<Group> newGroups,
                                           List<Service> newServices, List<Rule> rules, Recommendation.Placement placement) {
        SortedMap<String, String> files = new TreeMap<>();
        SequencedMap<String, Group> groups = new LinkedHashMap<>();
        newGroups.forEach(g -> groups.put(g.name(), g));
        SequencedMap<String, Service> services = new LinkedHashMap<>();
        newServices.forEach(s -> services.put(s.name(), s));
        SequencedMap<String, Policy> policies = new LinkedHashMap<>();
        if (placement.newPolicy()) {
            policies.put(placement.policy(), new Policy(placement.policy(), "Proposed by septum recommend", OptionalInt.empty(),
                    new Ref(placement.domain(), ProposalObjects.AT), new Ref(placement.vrf(), ProposalObjects.AT),
                    placement.priority(), rules, ProposalObjects.AT));
        } else {
            Policy target = model.policies().get(placement.policy());
            String file = Path.of(target.at().source()).getFileName().toString();
            String text = policyFiles.get(file);
            if (text == null) {
                throw new RecommendRefused("cannot find the file of policy " + target.name() + " (" + target.at().source() + ")");
            }
            YamlObjectEditor.Section section = YamlObjectEditor.Section.rulesOf(target.name());
            Optional<String> before = placement.before().isEmpty() ? Optional.empty() : Optional.of(placement.before());
            for (Rule r : rules) {
                text = YamlObjectEditor.of(text).insert(section, r, before);
            }
            files.put(file, text);
        }
        if (!groups.isEmpty() || !services.isEmpty() || !policies.isEmpty()) {
            PolicyModel added = new PolicyModel(new LinkedHashMap<>(), new LinkedHashMap<>(), groups, services,
                    new LinkedHashMap<>(), new LinkedHashMap<>(), policies);
            files.put("recommended-" + placement.policy() + ".yaml", PolicyWriter.write(added));
        }
        return files;
    }

}
