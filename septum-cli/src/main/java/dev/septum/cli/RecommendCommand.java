package dev.septum.cli;

import dev.septum.builder.recommend.RecommendRefused;
import dev.septum.builder.recommend.RecommendRequest;
import dev.septum.builder.recommend.Recommendation;
import dev.septum.builder.recommend.RecommendationView;
import dev.septum.builder.recommend.Recommender;
import dev.septum.flows.store.SessionQuery;
import dev.septum.flows.store.SessionSource;
import dev.septum.model.load.PolicyLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = {"Propose allow rules from stored sessions (the Policy Builder).",
            "",
            "Covers every complete session of known direction that no allow rule passes yet,",
            "with the fewest rules whose over-permission stays within --budget and whose",
            "precision is at least --min-precision. Failed attempts and scans are reported,",
            "never allowed. Groups with a --categories key stand for their members; other",
            "addresses stay exact. The proposal is proven on the policy: every training",
            "session replays as allowed, and the semantic diff shows only what it opens."},
        footer = {"", "Examples:",
            "  septum recommend --data-dir septum-data --policy examples/seed-lab-dns-ntp --monitor andreas-vztx \\",
            "      --categories zone,role --into dns_ntp_services --out proposal",
            "  septum recommend --data-dir septum-data --policy lab --rule drop_all_else_web-app --since 7d -o json",
            "", "Exit codes: 0 ok, 1 the policy has errors or a guarantee failed, 2 usage error, 3 the store or --out cannot be used."})
final class RecommendCommand implements Callable<Integer> {
    enum Output { table, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "STORE", defaultValue = "septum-data",
            description = "Where the collector keeps flows.duckdb (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--store", paramLabel = "URL",
            description = "Read the central store that 'septum flows-ingest' fills from every monitor node instead "
                    + "(a PostgreSQL JDBC URL, as 'septum sessions --store')")
    Optional<String> centralStore;

    @Option(names = "--policy", paramLabel = "DIR", required = true, description = "The policy directory the rules join")
    Path policy;

    @Option(names = "--categories", paramLabel = "K", split = ",",
            description = "Group categories to aggregate by; without them every address stays exact")
    List<String> categories = List.of();

    @Option(names = "--boundary", paramLabel = "K", split = ",", description = "Categories no rule may span two values of, e.g. env")
    List<String> boundary = List.of();

    @Option(names = "--budget", paramLabel = "BETA", defaultValue = "0",
            description = "Over-permission allowed, as a fraction of the observed address pairs x ports (default: ${DEFAULT-VALUE}: nothing unobserved)")
    double budget;

    @Option(names = "--min-precision", paramLabel = "TAU", defaultValue = "0.5",
            description = "Each rule's observed share of what it allows is at least this (default: ${DEFAULT-VALUE})")
    double minPrecision;

    @Option(names = "--port-slack", paramLabel = "N", defaultValue = "16",
            description = "Unobserved ports a merged server port range may hold (default: ${DEFAULT-VALUE})")
    int portSlack;

    @Option(names = "--since", paramLabel = "WHEN", description = "Sessions last seen at or after: 15m, 2h, 7d or an ISO instant")
    Optional<String> since;

    @Option(names = "--until", paramLabel = "WHEN", description = "Sessions first seen at or before (same forms as --since)")
    Optional<String> until;

    @ArgGroup(exclusive = true)
    Evidence evidence;

    static final class Evidence {
        @Option(names = "--rule", paramLabel = "MATCH", description = "Only sessions this rule or match decided, e.g. drop_all_else_web-app")
        Optional<String> rule;

        @Option(names = "--monitor", paramLabel = "NAME", description = "Only sessions decided by rules mirroring to this monitor object")
        Optional<String> monitor;
    }

    @ArgGroup(exclusive = true)
    Target target;

    static final class Target {
        @Option(names = "--into", paramLabel = "POLICY", description = "Add the rules to this policy, before the rules that decided the sessions")
        Optional<String> into;

        @Option(names = "--policy-name", paramLabel = "NAME", description = "A new policy of this name, before the others of its domain and VRF")
        Optional<String> policyName;
    }

    @Option(names = "--device", paramLabel = "NAME", description = "The enforcing device whose matches decide (default: the first with a policy)")
    Optional<String> device;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the proposal's YAML files here (copy them into the policy directory)")
    Optional<Path> out;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000000", description = "At most N sessions read (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE})")
    Output output;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        RecommendRequest request;
        SessionQuery query;
        try {
            request = new RecommendRequest(categories, boundary, budget, minPrecision, portSlack, selection(), placement(), device);
            query = new SessionQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    since.map(SessionsCommand::when), until.map(SessionsCommand::when), limit);
        } catch (IllegalArgumentException e) {
            return fail(err, e.getMessage(), ExitCodes.USAGE);
        }
        Map<String, String> files;
        try {
            files = policyFiles(policy);
        } catch (IOException e) {
            return fail(err, "cannot read policy directory " + policy + ": " + e.getMessage()
                    + " (pass the directory holding the policy YAML files)", ExitCodes.USAGE);
        }
        boolean dataDirGiven = spec.commandLine().getParseResult().hasMatchedOption("--data-dir");
        Optional<SessionSource> opened = SessionStores.open("recommend", centralStore, dataDirGiven, dataDir, err);
        if (opened.isEmpty()) {
            return centralStore.isPresent() ? ExitCodes.USAGE : ExitCodes.IO;
        }
        SessionSource store = opened.get();
        Recommendation r;
        try {
            r = Recommender.recommend(files, policy.toString(), store, query, request, dev.septum.resolve.SourceResolver.forDirectory(policy),
                    Recommender.Progress.NONE);
        } catch (SQLException e) {
            return fail(err, "cannot read " + store.describe() + ": " + e.getMessage(), ExitCodes.IO);
        } catch (RecommendRefused e) {
            return fail(err, e.getMessage(), e.getMessage().contains("error(s)") ? ExitCodes.POLICY_ERRORS : ExitCodes.USAGE);
        }
        if (out.isPresent()) {
            try {
                Files.createDirectories(out.get());
                for (var f : r.files().entrySet()) {
                    Files.writeString(out.get().resolve(f.getKey()), f.getValue());
                }
            } catch (IOException e) {
                return fail(err, "cannot write " + out.get() + ": " + e.getMessage(), ExitCodes.IO);
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        if (output == Output.json) {
            o.println(json(r).toPrettyString());
        } else {
            table(o, r);
        }
        o.flush();
        if (!r.guarantees().hold()) {
            r.guarantees().problems().forEach(p -> err.println("septum recommend: guarantee failed: " + p));
            err.flush();
            return ExitCodes.POLICY_ERRORS;
        }
        return ExitCodes.OK;
    }

    private RecommendRequest.Selection selection() {
        if (evidence != null && evidence.rule != null && evidence.rule.isPresent()) {
            return new RecommendRequest.Selection.ByRule(evidence.rule.get());
        }
        if (evidence != null && evidence.monitor != null && evidence.monitor.isPresent()) {
            return new RecommendRequest.Selection.ByMonitor(evidence.monitor.get());
        }
        return new RecommendRequest.Selection.All();
    }

    private RecommendRequest.Placement placement() {
        if (target != null && target.into != null && target.into.isPresent()) {
            return new RecommendRequest.Placement.Into(target.into.get());
        }
        return new RecommendRequest.Placement.NewPolicy(target != null && target.policyName != null && target.policyName.isPresent()
                ? target.policyName.get() : "recommended");
    }

    /** The directory's policy files by name, as the loader reads them. */
    static Map<String, String> policyFiles(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.filter(Files::isRegularFile).filter(p -> PolicyLoader.isPolicyFile(p.getFileName().toString())).toList()) {
                files.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        return files;
    }

    private static int fail(PrintWriter err, String message, int code) {
        err.println("septum recommend: " + message);
        err.flush();
        return code;
    }

    static ObjectNode json(Recommendation r) {
        return DiagnosticPrinter.JSON.valueToTree(RecommendationView.of(r));
    }

    private static void table(PrintWriter o, Recommendation r) {
        String format = "%-40s %-24s %-24s %-16s %8s %9s %10s %s%n";
        o.printf(Locale.ROOT, format, "RULE", "SOURCES", "DESTINATIONS", "SERVICE", "SESSIONS", "PRECISION", "OVER-PERM", "DIRECTION");
        for (Recommendation.ProposedRule rule : r.rules()) {
            o.printf(Locale.ROOT, format, rule.name(), String.join(",", rule.sources()), String.join(",", rule.destinations()),
                    String.join(",", rule.services()), rule.sessions(), String.format(Locale.ROOT, "%.2f", rule.precision()),
                    String.format(Locale.ROOT, "%.0f", rule.overPermission()), rule.directionConfidence());
            rule.opensBeyond().forEach(b -> o.println("    opens: " + b));
            rule.warnings().forEach(w -> o.println("    warning: " + w));
        }
        Recommendation.Totals t = r.totals();
        o.printf(Locale.ROOT, "(%d rules from %d sessions on %d edges; over-permission %.0f of %.0f observed = %.3f, budget %.2f;"
                + " %d config lines added, %d without '!' separators)%n", t.rules(), t.evidence(), t.edges(), t.overPermission(),
                t.observedWeight(), t.overPermissionRatio(), t.budget(), t.configLinesAdded(), t.commandLinesAdded());
        o.printf(Locale.ROOT, "left out: %d failed attempts or scans, %d of unknown direction, %d denied by a rule, %d already allowed,"
                + " %d outside the selection%n", t.failedAttempts(), t.noDirection(), t.deniedByRule(), t.alreadyAllowed(), t.outsideSelection());
        r.probes().stream().limit(10).forEach(p -> o.println("  " + p.kind() + ": " + p.client()
                + (p.server().isEmpty() ? "" : " -> " + p.server() + " " + p.protocol() + "/" + p.port()) + " x" + p.sessions() + " (" + p.detail() + ")"));
        Recommendation.Guarantees g = r.guarantees();
        o.printf(Locale.ROOT, "guarantees: replay %d/%d allowed, within budget %s, precision >= tau %s, placement proven %s, builds %s%n",
                g.replayAllowed(), g.replayed(), g.withinBudget(), g.precisionAtLeastTau(), g.placementProven(), g.builds());
        Recommendation.Placement p = r.placement();
        o.println("placement: " + (p.newPolicy() ? "new policy " + p.policy() + " (priority " + p.priority() + ")"
                : "into " + p.policy() + (p.before().isEmpty() ? " at its end" : " before " + p.before()))
                + " in " + p.domain() + " VRF " + p.vrf() + "; files: " + String.join(", ", r.files().keySet()));
    }
}
