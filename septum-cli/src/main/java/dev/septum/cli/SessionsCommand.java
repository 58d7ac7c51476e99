package dev.septum.cli;

import static dev.septum.cli.CommandModel.command;
import static dev.septum.cli.CommandModel.flag;
import static dev.septum.cli.CommandModel.option;
import static dev.septum.cli.CommandModel.optional;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.EphemeralRollup;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.session.SessionSummary;
import dev.septum.flows.store.QueryValues;
import dev.septum.flows.store.SessionQuery;
import dev.septum.flows.store.SessionSource;
import dev.septum.flows.store.StoredSession;
import dev.septum.flows.store.TagFilter;
import dev.septum.flows.tag.SessionTags;
import dev.septum.builder.tag.PolicySessionTagger;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

final class SessionsCommand implements Callable<Integer> {
    enum Output { table, json, csv }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    CommandSpec spec;
    Path dataDir;
    Optional<String> centralStore = Optional.empty();
    Optional<Long> vrf = Optional.empty();
    Optional<String> proto = Optional.empty();
    Optional<String> address = Optional.empty();
    Optional<Integer> port = Optional.empty();
    Optional<String> since = Optional.empty();
    Optional<String> until = Optional.empty();
    boolean raw;
    Output output;
    Optional<Path> policy = Optional.empty();
    Optional<String> device = Optional.empty();
    Optional<String> rule = Optional.empty();
    Optional<String> group = Optional.empty();
    Optional<String> service = Optional.empty();
    int limit;

    static CommandSpec spec() {
        SessionsCommand c = new SessionsCommand();
        c.spec = command("sessions", c,
                new String[] {"Show the sessions the collector stored, client to server.",
                    "",
                    "Packets and bytes each way; complete, half-open, or refused (a TCP handshake that never completed: "
                        + "answered with a reset, or a SYN scan). --raw shows each side's TCP flags. By default ephemeral client "
                        + "ports fold into 'eph', so one client's use of one service is one line; --raw shows every session.",
                    "",
                    "Sessions stored by 'collect --policy DIR' or 'serve --collect' carry their tags (groups, services, "
                        + "deciding match, policy version): --rule, --group and --service filter on them. --policy DIR tags "
                        + "every line again with that policy instead."},
                "", "Examples:",
                "  septum sessions --data-dir septum-data",
                "  septum sessions --proto tcp --port 443 --since 15m --output csv",
                "  septum sessions --address 10.1.0.5 --raw --output json",
                "  septum sessions --rule drop_all_else_web-app --since 1h",
                "  septum sessions --policy examples/seed-lab --rule drop_all_else_web-app",
                "  septum sessions --policy examples/seed-lab --group wifi_clients",
                "  septum sessions --store 'jdbc:postgresql://db/flows?user=u&password=p' --since 1h",
                "", "Exit codes: 0 ok, 1 the --policy has errors, 2 usage error, 3 the store cannot be read.");
        c.spec.addOption(option(Path.class, v -> c.dataDir = v, "--data-dir").paramLabel("DIR").defaultValue("septum-data")
                .description("Where the collector keeps flows.duckdb (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(optional(String.class, v -> c.centralStore = v, "--store").paramLabel("URL")
                .description("Read the central store that 'septum flows-ingest' fills from every monitor node instead "
                        + "(a PostgreSQL JDBC URL, user and password as its parameters; see the example)").build());
        c.spec.addOption(optional(Long.class, v -> c.vrf = v, "--vrf").paramLabel("ID")
                .description("Only this VRF id (ingressVRFID, 0 to 4294967295)").build());
        c.spec.addOption(optional(String.class, v -> c.proto = v, "--proto").paramLabel("PROTO")
                .description("tcp, udp, icmp, icmpv6 or a protocol number").build());
        c.spec.addOption(optional(String.class, v -> c.address = v, "--address").paramLabel("IP")
                .description("Sessions with this address on either side").build());
        c.spec.addOption(optional(Integer.class, v -> c.port = v, "--port").paramLabel("PORT")
                .description("Only this server port").build());
        c.spec.addOption(optional(String.class, v -> c.since = v, "--since").paramLabel("WHEN")
                .description("Last seen at or after: a duration back from now (30s, 15m, 2h, 7d) or an ISO instant").build());
        c.spec.addOption(optional(String.class, v -> c.until = v, "--until").paramLabel("WHEN")
                .description("First seen at or before (same forms as --since)").build());
        c.spec.addOption(flag(v -> c.raw = v, "--raw")
                .description("One line per session; no 'eph' folding").build());
        c.spec.addOption(option(Output.class, v -> c.output = v, "-o", "--output").paramLabel("<output>").defaultValue("table")
                .description("table, json or csv (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(optional(Path.class, v -> c.policy = v, "--policy").paramLabel("DIR")
                .description("Tag each line again with this policy (groups, services, the match that decides it on the enforcing device), "
                        + "instead of the tags stored with the session").build());
        c.spec.addOption(optional(String.class, v -> c.device = v, "--device").paramLabel("NAME")
                .description("With --policy: the enforcing device (default: the first switch with a policy)").build());
        c.spec.addOption(optional(String.class, v -> c.rule = v, "--rule").paramLabel("MATCH")
                .description("Only lines decided by this rule (both directions) or match, e.g. drop_all_else_web-app").build());
        c.spec.addOption(optional(String.class, v -> c.group = v, "--group").paramLabel("NAME")
                .description("Only lines with an endpoint in this group (client or server side)").build());
        c.spec.addOption(optional(String.class, v -> c.service = v, "--service").paramLabel("NAME")
                .description("Only lines whose service is this policy service, e.g. SSH").build());
        c.spec.addOption(option(int.class, v -> c.limit = v, "--limit").paramLabel("N").defaultValue("100000")
                .description("At most N sessions read (default: ${DEFAULT-VALUE})").build());
        return c.spec;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        SessionQuery q;
        try {
            q = new SessionQuery(vrf.map(SessionsCommand::vrfId), proto.map(SessionsCommand::protocolNumber), address.map(a -> IpAddr.parse(a).toString()),
                    port, since.map(SessionsCommand::when), until.map(SessionsCommand::when), limit);
        } catch (IllegalArgumentException e) {
            err.println("septum sessions: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        Optional<SessionSource> opened = SessionStores.open("sessions", centralStore,
                spec.commandLine().getParseResult().hasMatchedOption("--data-dir"), dataDir, err);
        if (opened.isEmpty()) {
            return centralStore.isPresent() ? ExitCodes.USAGE : ExitCodes.IO;
        }
        SessionSource store = opened.get();
        filter = new TagFilter(group, rule, service, Optional.empty());
        if (policy.isPresent()) {
            Optional<PolicySessionTagger> t = PolicyTagging.load(policy.get(), device, spec.commandLine(), err);
            if (t.isEmpty()) {
                return ExitCodes.POLICY_ERRORS;
            }
            tagger = t.get();
            if (group.isPresent() && !tagger.hasGroup(group.get())) {
                err.println("septum sessions: no group '" + group.get() + "' in " + policy.get() + " (groups: "
                        + String.join(", ", tagger.groupNames()) + ")");
                err.flush();
                return ExitCodes.USAGE;
            }
        } else if (device.isPresent()) {
            err.println("septum sessions: --device needs --policy DIR (it names the enforcing device whose matches tag the lines)");
            err.flush();
            return ExitCodes.USAGE;
        }
        List<StoredSession> rows;
        try {
            // stored tags are filtered by the store; tags computed from --policy only here
            rows = store.queryTagged(tagger == null ? q.withTags(filter) : q);
        } catch (SQLException e) {
            err.println("septum sessions: cannot read " + store.describe() + ": " + e.getMessage());
            err.flush();
            return ExitCodes.IO;
        }
        showTags = tagger != null || !filter.isEmpty() || rows.stream().anyMatch(r -> r.tags().tagged());
        if (tagger == null && !filter.isEmpty() && rows.isEmpty()) {
            err.println("septum sessions: no stored session carries these tags; sessions are tagged when stored by"
                    + " 'septum collect --policy DIR' or 'septum serve --collect', and --policy DIR tags stored ones now");
            err.flush();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (raw) {
            printRaw(out, rows);
        } else {
            printSummary(out, rows);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private PolicySessionTagger tagger;
    private TagFilter filter;
    private boolean showTags;

    private static final String[] TAG_HEADER = {"client_groups", "server_groups", "services", "match", "verdict", "policy_version"};

    /** Appends a line's tags (when shown), or drops the line when its tags are not those asked for. */
    private void addTagged(List<String[]> cells, String[] row, SessionTags tags) {
        if (!showTags) {
            cells.add(row);
            return;
        }
        boolean kept = filter.rule().map(tags::decidedBy).orElse(true)
                && filter.group().map(tags::inGroup).orElse(true)
                && filter.service().map(tags.services()::contains).orElse(true);
        if (kept) {
            cells.add(concat(row, new String[] {String.join(" ", tags.clientGroups()), String.join(" ", tags.serverGroups()),
                String.join(" ", tags.services()), tags.match(), tags.verdict(), tags.policyVersion()}));
        }
    }

    private String[] header(String[] base) {
        return showTags ? concat(base, TAG_HEADER) : base;
    }

    private boolean[] numeric(boolean[] base) {
        return showTags ? java.util.Arrays.copyOf(base, base.length + TAG_HEADER.length) : base;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** ingressVRFID is an unsigned 32-bit field; the store keeps it in an int with the same bits. */
    private static int vrfId(long id) {
        if (id < 0 || id > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("--vrf " + id + " is not a VRF id: use 0 to 4294967295 (ingressVRFID is 32 bits)");
        }
        return (int) id;
    }

    static int protocolNumber(String p) {
        try {
            return QueryValues.protocol(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--proto " + e.getMessage());
        }
    }

    static String protocolName(int p) {
        return QueryValues.protocolName(p);
    }

    static long when(String s) {
        return QueryValues.instant(s, System.currentTimeMillis());
    }

    private static String time(long ms) {
        return TIME.format(Instant.ofEpochMilli(ms));
    }

    private void printSummary(PrintWriter out, List<StoredSession> rows) {
        String[] header = {"vrf", "proto", "client", "client_port", "server", "server_port", "sessions", "complete",
            "half_open", "refused", "client_packets", "client_bytes", "server_packets", "server_bytes", "first_seen", "last_seen"};
        List<String[]> cells = new ArrayList<>();
        for (EphemeralRollup.Labelled<SessionTags> line : EphemeralRollup.summarise(rows, StoredSession::row, StoredSession::tags)) {
            SessionSummary s = line.summary();
            SessionTags tags = tagger == null ? line.label()
                    : tagger.tag(s.protocol(), s.client(), s.clientPort() == SessionSummary.EPH ? 0 : s.clientPort(), s.server(), s.serverPort());
            addTagged(cells, new String[] {Integer.toUnsignedString(s.vrf()), protocolName(s.protocol()), s.client().toString(),
                s.clientPortLabel(), s.server().toString(), Integer.toString(s.serverPort()),
                Long.toString(s.sessions()), Long.toString(s.complete()), Long.toString(s.halfOpen()),
                Long.toString(s.refused()),
                Long.toString(s.clientPackets()), Long.toString(s.clientOctets()), Long.toString(s.serverPackets()),
                Long.toString(s.serverOctets()), time(s.firstMillis()), time(s.lastMillis())}, tags);
        }
        emit(out, header(header), cells, numeric(new boolean[] {true, false, false, false, false, true, true, true, true, true, true,
            true, true, true, false, false}), "sessions");
    }

    private void printRaw(PrintWriter out, List<StoredSession> rows) {
        String[] header = {"vrf", "proto", "client", "client_port", "server", "server_port", "state", "client_packets",
            "client_bytes", "client_tcp_flags", "server_packets", "server_bytes", "server_tcp_flags", "first_seen", "last_seen",
            "decided_by", "status"};
        List<String[]> cells = new ArrayList<>();
        for (StoredSession stored : rows) {
            SessionRow r = stored.row();
            SessionTags tags = tagger == null ? stored.tags()
                    : tagger.tag(r.protocol(), r.clientAddr(), r.client().port(), r.serverAddr(), r.server().port());
            addTagged(cells, new String[] {Integer.toUnsignedString(r.vrf()), protocolName(r.protocol()), r.clientAddr().toString(),
                Integer.toString(r.client().port()), r.serverAddr().toString(), Integer.toString(r.server().port()),
                r.state().label(), Long.toString(r.clientPackets()), Long.toString(r.clientOctets()),
                SessionState.flagNames(r.clientTcpFlags()), Long.toString(r.serverPackets()), Long.toString(r.serverOctets()),
                SessionState.flagNames(r.serverTcpFlags()), time(r.firstMillis()),
                time(r.lastMillis()), r.evidence().name().toLowerCase(Locale.ROOT),
                r.reason().name().toLowerCase(Locale.ROOT)}, tags);
        }
        emit(out, header(header), cells, numeric(new boolean[] {true, false, false, true, false, true, false, true, true, false, true,
            true, false, false, false, false, false}), "sessions");
    }

    private void emit(PrintWriter out, String[] header, List<String[]> cells, boolean[] numeric, String root) {
        switch (output) {
            case csv -> {
                out.println(String.join(",", header));
                for (String[] row : cells) {
                    out.println(String.join(",", java.util.Arrays.stream(row).map(SessionsCommand::csv).toList()));
                }
            }
            case json -> {
                ObjectNode doc = DiagnosticPrinter.JSON.createObjectNode();
                ArrayNode arr = doc.putArray(root);
                for (String[] row : cells) {
                    ObjectNode o = arr.addObject();
                    for (int i = 0; i < header.length; i++) {
                        if (numeric[i] && row[i].matches("\\d+")) {
                            o.put(header[i], Long.parseLong(row[i]));
                        } else {
                            o.put(header[i], row[i]);
                        }
                    }
                }
                out.println(doc.toPrettyString());
            }
            case table -> {
                int[] w = new int[header.length];
                for (int i = 0; i < header.length; i++) {
                    w[i] = header[i].length();
                    for (String[] row : cells) {
                        w[i] = Math.max(w[i], row[i].length());
                    }
                }
                out.println(line(header, w, numeric, true));
                for (String[] row : cells) {
                    out.println(line(row, w, numeric, false));
                }
                out.println("(" + cells.size() + (cells.size() == 1 ? " line" : " lines") + ")");
            }
        }
    }

    private static String line(String[] row, int[] w, boolean[] numeric, boolean header) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            String v = header ? row[i].toUpperCase(Locale.ROOT) : row[i];
            boolean right = numeric[i] && !header;
            String pad = " ".repeat(w[i] - v.length());
            sb.append(right ? pad + v : v + pad);
            if (i < row.length - 1) {
                sb.append("  ");
            }
        }
        return sb.toString().stripTrailing();
    }

    private static String csv(String v) {
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
