package dev.septum.server.api;

import static io.javalin.http.HandlerType.GET;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.store.QueryValues;
import dev.septum.flows.store.SessionQuery;
import dev.septum.flows.store.StoredSession;
import dev.septum.flows.store.TagFilter;
import dev.septum.flows.tag.SessionTags;
import dev.septum.server.monitor.EmbeddedCollector;
import dev.septum.server.monitor.Monitoring;
import dev.septum.server.store.Role;
import dev.septum.server.store.User;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.LinkedHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The monitor node's view: sessions from the flow store, filtered by what they were tagged with
 * when stored (group, rule, service, policy version) and by time, and the collector's counters.
 */
final class SessionRoutes {
    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 100_000;
    private static final SequencedMap<String, String> PARAMETERS = parameters(
            "since", "last seen at or after: a duration back from now (30s, 15m, 2h, 7d) or an ISO instant",
            "until", "first seen at or before (same forms as since)",
            "group", "either endpoint is in this group (as tagged when stored)",
            "rule", "decided by this rule or device match, e.g. drop_all_else_web-app (its -reverse match included)",
            "service", "a policy service's name (e.g. SSH), or a protocol and server port such as tcp/22",
            "version", "tagged with this policy version id",
            "proto", "tcp, udp, icmp, icmpv6 or a protocol number",
            "port", "the server's port",
            "address", "either endpoint has this IP address",
            "vrf", "the ingressVRFID",
            "limit", "at most this many sessions (default " + DEFAULT_LIMIT + ", at most " + MAX_LIMIT + ")");
    /** {@code tcp/22}: a protocol and server port rather than a policy service's name. */
    private static final Pattern PROTO_PORT = Pattern.compile("([A-Za-z0-9-]+)/(\\d+)");

    private final Monitoring m;

    SessionRoutes(Monitoring monitoring) {
        this.m = monitoring;
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.of(GET, "/api/sessions", Role.VIEWER, "Stored sessions, most recent first, each with the groups, services, "
                        + "rule and policy version it was tagged with when stored", this::sessions).withQuery(PARAMETERS),
                Endpoint.of(GET, "/api/collector", Role.VIEWER, "The embedded flow collector: where it listens, the policy "
                        + "version it tags with, and its counters", this::collector));
    }

    private void sessions(Context ctx, User caller) {
        Params.only(ctx, "GET /api/sessions", PARAMETERS.keySet());
        long now = System.currentTimeMillis();
        Optional<Integer> proto = param(ctx, "proto", QueryValues::protocol, "use tcp, udp, icmp, icmpv6 or a number 0-255");
        Optional<Integer> port = param(ctx, "port", QueryValues::port, "use the server's port, e.g. port=22");
        Optional<String> service = Optional.ofNullable(ctx.queryParam("service")).filter(s -> !s.isEmpty());
        Matcher protoPort = PROTO_PORT.matcher(service.orElse(""));
        if (protoPort.matches()) {
            // tcp/22 names no policy service: it is the protocol and server port
            if (proto.isPresent() || port.isPresent()) {
                throw ApiError.badRequest("service", "'" + service.get() + "' gives a protocol and port, and so do proto or port",
                        "use either service=" + service.get() + " or proto and port");
            }
            proto = Optional.of(value("service", protoPort.group(1), QueryValues::protocol, "use e.g. service=tcp/22 or a service name"));
            port = Optional.of(value("service", protoPort.group(2), QueryValues::port, "use e.g. service=tcp/22 or a service name"));
            service = Optional.empty();
        }
        int limit = param(ctx, "limit", SessionRoutes::limit, "use 1-" + MAX_LIMIT).orElse(DEFAULT_LIMIT);
        SessionQuery q = new SessionQuery(
                param(ctx, "vrf", SessionRoutes::vrf, "use the numeric ingressVRFID (0-4294967295), e.g. vrf=0"),
                proto,
                param(ctx, "address", a -> IpAddr.parse(a).toString(), "use an IPv4 or IPv6 address literal, e.g. 10.100.99.50"),
                port,
                param(ctx, "since", v -> QueryValues.instant(v, now), "use a duration back from now (30s, 15m, 2h, 7d) or an ISO instant"),
                param(ctx, "until", v -> QueryValues.instant(v, now), "use a duration back from now (30s, 15m, 2h, 7d) or an ISO instant"),
                limit,
                new TagFilter(text(ctx, "group"), text(ctx, "rule"), service, text(ctx, "version")));
        List<StoredSession> found;
        try {
            found = m.store().queryTagged(q);
        } catch (SQLException e) {
            throw new ApiError(503, "", "the flow store " + m.store().file() + " cannot be read now: " + e.getMessage(),
                    "retry in a moment; a flush or another process may hold the file");
        }
        ctx.json(Views.map("sessions", found.stream().map(SessionRoutes::view).toList(), "count", found.size(),
                "limit", limit, "truncated", found.size() == limit));
    }

    private void collector(Context ctx, User caller) {
        Map<String, Object> body = Views.map("running", m.collector().isPresent(), "store", m.store().file().toString(),
                "policyVersion", m.tags().versionId().orElse(null), "device", m.tags().device());
        if (m.collector().isEmpty()) {
            body.put("hint", "start the server with --collect ADDR:PORT (e.g. --collect 127.0.0.1:4739) to receive IPFIX / NetFlow v9");
            ctx.json(body);
            return;
        }
        EmbeddedCollector c = m.collector().get();
        body.put("listen", c.localAddress().getAddress().getHostAddress() + ":" + c.localAddress().getPort());
        body.put("receiveFailure", c.receiveFailure());
        body.put("lastStoreError", c.lastStoreError());
        body.put("counters", c.counters());
        ctx.json(body);
    }

    private static Map<String, Object> view(StoredSession s) {
        SessionRow r = s.row();
        SessionTags t = s.tags();
        return Views.map("vrf", Integer.toUnsignedLong(r.vrf()), "proto", QueryValues.protocolName(r.protocol()),
                "client", r.clientAddr().toString(), "clientPort", r.client().port(),
                "server", r.serverAddr().toString(), "serverPort", r.server().port(), "state", r.state().label(),
                "clientPackets", r.clientPackets(), "clientBytes", r.clientOctets(),
                "serverPackets", r.serverPackets(), "serverBytes", r.serverOctets(),
                "firstSeen", Instant.ofEpochMilli(r.firstMillis()).toString(), "lastSeen", Instant.ofEpochMilli(r.lastMillis()).toString(),
                "decidedBy", r.evidence().name().toLowerCase(Locale.ROOT), "status", r.reason().name().toLowerCase(Locale.ROOT),
                "tags", Views.map("clientGroups", t.clientGroups(), "serverGroups", t.serverGroups(), "services", t.services(),
                        "policy", t.policy(), "rule", t.rule(), "match", t.match(), "verdict", t.verdict(),
                        "policyVersion", t.policyVersion()));
    }

    private static SequencedMap<String, String> parameters(String... namesAndDescriptions) {
        SequencedMap<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndDescriptions.length; i += 2) {
            m.put(namesAndDescriptions[i], namesAndDescriptions[i + 1]);
        }
        return m;
    }

    /** An ingressVRFID: unsigned 32 bits, held in an int as the session table holds it. */
    private static int vrf(String v) {
        long n = Long.parseLong(v);
        if (n < 0 || n > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("'" + v + "' is out of range");
        }
        return (int) n;
    }

    private static int limit(String v) {
        int n = Integer.parseInt(v);
        if (n < 1 || n > MAX_LIMIT) {
            throw new IllegalArgumentException("'" + v + "' is out of range");
        }
        return n;
    }

    private static Optional<String> text(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).filter(v -> !v.isEmpty());
    }

    /** A query parameter read by {@code parse}; a value it refuses is a 400 naming the parameter and the fix. */
    private static <T> Optional<T> param(Context ctx, String name, Function<String, T> parse, String fix) {
        return text(ctx, name).map(v -> value(name, v, parse, fix));
    }

    private static <T> T value(String name, String v, Function<String, T> parse, String fix) {
        try {
            return parse.apply(v);
        } catch (IllegalArgumentException e) {
            String problem = e.getMessage() != null && e.getMessage().startsWith("'") ? e.getMessage() : "'" + v + "' is not valid here";
            throw ApiError.badRequest(name, problem, fix);
        }
    }
}
