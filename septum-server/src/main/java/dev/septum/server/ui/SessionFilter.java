package dev.septum.server.ui;

import dev.septum.flows.store.QueryValues;
import dev.septum.flows.store.SessionQuery;
import dev.septum.flows.store.StoredSession;
import dev.septum.flows.store.TagFilter;
import dev.septum.server.api.ApiError;
import dev.septum.server.api.Limits;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The filters of the flow map and the sessions page, read from the URL: a time window, a group,
 * the deciding rule, a protocol and server port (the flow store filters on these, with the REST
 * sessions route's value forms), and an edge of the map's two ends, which this filter checks.
 *
 * @param client the map's node of the client side, e.g. {@code web-app, webservers} or {@code outside}
 * @param by     the category key the map's nodes are named by (see {@link Nodes}); empty: by groups
 */
record SessionFilter(SequencedMap<String, String> given, String since, Optional<String> until, Optional<String> group,
                     Optional<String> rule, Optional<String> proto, Optional<String> port, Optional<String> client,
                     Optional<String> server, Optional<String> by) {
    /** The window when none is given: the last hour. */
    static final String DEFAULT_SINCE = "1h";
    /** The most sessions one page reads from the store: the map aggregates at most this many. */
    static final int READ_LIMIT = 100_000;

    static SessionFilter of(Context ctx) {
        SequencedMap<String, String> given = new LinkedHashMap<>();
        for (String name : new String[] {"since", "until", "group", "rule", "proto", "port", "client", "server", "by"}) {
            String value = Optional.ofNullable(ctx.queryParam(name)).map(String::strip).orElse("");
            if (value.length() > Limits.FIELD) {
                throw ApiError.badRequest(name, "is longer than " + Limits.FIELD + " characters", "give a shorter value");
            }
            if (!value.isEmpty()) {
                given.put(name, value);
            }
        }
        return new SessionFilter(given, given.getOrDefault("since", DEFAULT_SINCE), opt(given, "until"), opt(given, "group"),
                opt(given, "rule"), opt(given, "proto"), opt(given, "port"), opt(given, "client"), opt(given, "server"),
                opt(given, "by"));
    }

    private static Optional<String> opt(Map<String, String> given, String name) {
        return Optional.ofNullable(given.get(name));
    }

    /** What the store is asked for, at most {@code limit} sessions, most recent first. */
    SessionQuery query(long nowMs, int limit) {
        return new SessionQuery(Optional.empty(), proto.map(p -> value("proto", p, QueryValues::protocol, "use tcp, udp, icmp, icmpv6 or a number 0-255")),
                Optional.empty(), port.map(p -> value("port", p, QueryValues::port, "use the server's port, e.g. 53")),
                Optional.of(value("since", since, v -> QueryValues.instant(v, nowMs), "use a duration back from now (30s, 15m, 2h, 7d) or an ISO instant")),
                until.map(u -> value("until", u, v -> QueryValues.instant(v, nowMs), "use a duration back from now (30s, 15m, 2h, 7d) or an ISO instant")),
                limit, new TagFilter(group, rule, Optional.empty(), Optional.empty()));
    }

    /** True when the filter names an edge's ends, which the store cannot filter on. */
    boolean edge() {
        return client.isPresent() || server.isPresent();
    }

    boolean admits(StoredSession s, Nodes nodes) {
        return client.map(c -> c.equals(nodes.client(s))).orElse(true) && server.map(c -> c.equals(nodes.server(s))).orElse(true);
    }

    /** This filter with some values changed (an empty value drops one), as a query string. */
    String query(Map<String, String> changed) {
        SequencedMap<String, String> all = new LinkedHashMap<>(given);
        changed.forEach((k, v) -> {
            if (v.isEmpty()) {
                all.remove(k);
            } else {
                all.put(k, v);
            }
        });
        return all.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static <T> T value(String name, String v, Function<String, T> parse, String fix) {
        try {
            return parse.apply(v);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(name, Optional.ofNullable(e.getMessage()).orElse("'" + v + "' is not valid here"), fix);
        }
    }
}
