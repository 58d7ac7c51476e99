package dev.septum.cli;

import static dev.septum.cli.CommandModel.command;
import static dev.septum.cli.CommandModel.commaList;
import static dev.septum.cli.CommandModel.option;
import static dev.septum.cli.CommandModel.optional;

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
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.node.ObjectNode;

final class RecommendCommand implements Callable<Integer> {
    enum Output { table, json }

    CommandSpec spec;
    Path dataDir;
    Optional<String> centralStore = Optional.empty();
    Path policy;
    List<String> categories = List.of();
    List<String> boundary = List.of();
    double budget;
    double minPrecision;
    int portSlack;
    Optional<String> since = Optional.empty();
    Optional<String> until = Optional.empty();
    Optional<String> rule = Optional.empty();
    Optional<String> monitor = Optional.empty();
    Optional<String> into = Optional.empty();
    Optional<String> policyName = Optional.empty();
    Optional<String> device = Optional.empty();
    Optional<Path> out = Optional.empty();
    int limit;
    Output output;

    static CommandSpec spec() {
        RecommendCommand c = new RecommendCommand();
        c.spec = command("recommend", c,
                new String[] {"Propose allow rules from stored sessions (the Policy Builder).",
                    "",
                    "Covers every complete session of known direction that no allow rule passes yet,",
                    "with the fewest rules whose over-permission stays within --budget and whose",
                    "precision is at least --min-precision. Failed attempts and scans are reported,",
                    "never allowed. Groups with a --categories key stand for their members; other",
                    "addresses stay exact. The proposal is proven on the policy: every training",
                    "session replays as allowed, and the semantic diff shows only what it opens."},
                "", "Examples:",
                "  septum recommend --data-dir septum-data --policy examples/seed-lab-dns-ntp --monitor andreas-vztx \\",
                "      --categories zone,role --into dns_ntp_services --out proposal",
                "  septum recommend --data-dir septum-data --policy lab --rule drop_all_else_web-app --since 7d -o json",
                "", "Exit codes: 0 ok, 1 the policy has errors or a guarantee failed, 2 usage error, 3 the store or --out cannot be used.");
        c.spec.addOption(option(Path.class, v -> c.dataDir = v, "--data-dir").paramLabel("STORE").defaultValue("septum-data")
                .description("Where the collector keeps flows.duckdb (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(optional(String.class, v -> c.centralStore = v, "--store").paramLabel("URL")
                .description("Read the central store that 'septum flows-ingest' fills from every monitor node instead "
                        + "(a PostgreSQL JDBC URL, as 'septum sessions --store')").build());
        c.spec.addOption(option(Path.class, v -> c.policy = v, "--policy").paramLabel("DIR").required(true)
                .description("The policy directory the rules join").build());
        c.spec.addOption(commaList(v -> c.categories = v, "--categories").paramLabel("K")
                .description("Group categories to aggregate by; without them every address stays exact").build());
        c.spec.addOption(commaList(v -> c.boundary = v, "--boundary").paramLabel("K")
                .description("Categories no rule may span two values of, e.g. env").build());
        c.spec.addOption(option(double.class, v -> c.budget = v, "--budget").paramLabel("BETA").defaultValue("0")
                .description("Over-permission allowed, as a fraction of the observed address pairs x ports (default: ${DEFAULT-VALUE}: nothing unobserved)").build());
        c.spec.addOption(option(double.class, v -> c.minPrecision = v, "--min-precision").paramLabel("TAU").defaultValue("0.5")
                .description("Each rule's observed share of what it allows is at least this (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(option(int.class, v -> c.portSlack = v, "--port-slack").paramLabel("N").defaultValue("16")
                .description("Unobserved ports a merged server port range may hold (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(optional(String.class, v -> c.since = v, "--since").paramLabel("WHEN")
                .description("Sessions last seen at or after: 15m, 2h, 7d or an ISO instant").build());
        c.spec.addOption(optional(String.class, v -> c.until = v, "--until").paramLabel("WHEN")
                .description("Sessions first seen at or before (same forms as --since)").build());
        c.spec.addArgGroup(ArgGroupSpec.builder().exclusive(true)
                .addArg(optional(String.class, v -> c.rule = v, "--rule").paramLabel("MATCH")
                        .description("Only sessions this rule or match decided, e.g. drop_all_else_web-app").build())
                .addArg(optional(String.class, v -> c.monitor = v, "--monitor").paramLabel("NAME")
                        .description("Only sessions decided by rules mirroring to this monitor object").build()).build());
        c.spec.addArgGroup(ArgGroupSpec.builder().exclusive(true)
                .addArg(optional(String.class, v -> c.into = v, "--into").paramLabel("POLICY")
                        .description("Add the rules to this policy, before the rules that decided the sessions").build())
                .addArg(optional(String.class, v -> c.policyName = v, "--policy-name").paramLabel("NAME")
                        .description("A new policy of this name, before the others of its domain and VRF").build()).build());
        c.spec.addOption(optional(String.class, v -> c.device = v, "--device").paramLabel("NAME")
                .description("The enforcing device whose matches decide (default: the first with a policy)").build());
        c.spec.addOption(optional(Path.class, v -> c.out = v, "--out").paramLabel("DIR")
                .description("Write the proposal's YAML files here (copy them into the policy directory)").build());
        c.spec.addOption(option(int.class, v -> c.limit = v, "--limit").paramLabel("N").defaultValue("1000000")
                .description("At most N sessions read (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(option(Output.class, v -> c.output = v, "-o", "--output").paramLabel("<output>").defaultValue("table")
                .description("table or json (default: ${DEFAULT-VALUE})").build());
        return c.spec;
    }

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
        if (rule.isPresent()) {
            return new RecommendRequest.Selection.ByRule(rule.get());
        }
        if (monitor.isPresent()) {
            return new RecommendRequest.Selection.ByMonitor(monitor.get());
        }
        return new RecommendRequest.Selection.All();
    }

    private RecommendRequest.Placement placement() {
        if (into.isPresent()) {
            return new RecommendRequest.Placement.Into(into.get());
        }
        return new RecommendRequest.Placement.NewPolicy(policyName.orElse("recommended"));
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
