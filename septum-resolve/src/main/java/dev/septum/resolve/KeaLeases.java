package dev.septum.resolve;

import dev.septum.model.GroupSource;
import dev.septum.model.IpFamily;
import dev.septum.model.load.AddressText;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * ISC Kea's current leases through its control agent: {@code lease4-get-all} (dhcp4) or
 * {@code lease6-get-all} (dhcp6). Only leases in the default state that have not expired count;
 * the filters (client classes, host name pattern, subnets) must all pass.
 */
final class KeaLeases {
    /** Kea's classes every packet may get; they say nothing about the client. */
    private static final Set<String> BUILT_IN = Set.of("ALL", "KNOWN", "UNKNOWN", "BOOTP");

    private final HttpFetch http;
    private final Function<String, Optional<String>> env;

    KeaLeases(HttpFetch http, Function<String, Optional<String>> env) {
        this.http = http;
        this.env = env;
    }

    Answer fetch(GroupSource.Dhcp source) throws SourceFailure {
        boolean v4 = source.family() == IpFamily.IPV4;
        ObjectNode command = JsonNodeFactory.instance.objectNode();
        command.put("command", v4 ? "lease4-get-all" : "lease6-get-all");
        command.putArray("service").add(v4 ? "dhcp4" : "dhcp6");
        Map<String, String> headers = new LinkedHashMap<>();
        if (source.authEnv().isPresent()) {
            String name = source.authEnv().get();
            String credential = env.apply(name).orElseThrow(() -> new SourceFailure(
                    "environment variable " + name + " (auth-env) is not set"));
            headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(credential.getBytes(StandardCharsets.UTF_8)));
        }
        return Answer.of(members(http.post(source.url(), headers, command), source, Instant.now()));
    }

    static List<dev.septum.compile.pipeline.ResolutionSnapshot.Member> members(JsonNode answer, GroupSource.Dhcp source,
                                                                               Instant now) throws SourceFailure {
        JsonNode first = answer.isArray() ? answer.path(0) : answer;
        int result = first.path("result").asInt(-1);
        if (result == 3) {
            return List.of(); // Kea's "0 leases found"
        }
        if (result != 0) {
            throw new SourceFailure("Kea answered result " + result + ": " + shortText(first.path("text").asString("")));
        }
        JsonNode leases = first.at("/arguments/leases");
        if (!leases.isArray()) {
            throw new SourceFailure("Kea's answer has no arguments.leases list");
        }
        Pattern hostname = source.hostname().map(KeaLeases::glob).orElse(null);
        Members members = new Members(false);
        int index = 0;
        for (JsonNode lease : leases) {
            String where = "lease " + index++;
            String address = JsonItems.text(lease, "/ip-address", where);
            if (lease.path("state").asInt(0) != 0 || expired(lease, now)) {
                continue;
            }
            if (hostname != null && !hostname.matcher(lease.path("hostname").asString("")).matches()) {
                continue;
            }
            if (!source.subnets().isEmpty() && AddressText.parse(address)
                    .filter(a -> source.subnets().stream().anyMatch(s -> s.contains(a))).isEmpty()) {
                continue;
            }
            List<String> classes = classes(lease);
            if (!source.clientClasses().isEmpty() && source.clientClasses().stream().noneMatch(classes::contains)) {
                continue;
            }
            Map<String, String> categories = new LinkedHashMap<>();
            classes.stream().filter(c -> source.clientClasses().isEmpty() || source.clientClasses().contains(c))
                    .findFirst().ifPresent(c -> categories.put("client-class", c));
            members.add(address, categories, where + " field ip-address");
        }
        return members.list();
    }

    private static boolean expired(JsonNode lease, Instant now) {
        long cltt = lease.path("cltt").asLong(0);
        long lifetime = lease.path("valid-lft").asLong(0);
        return cltt > 0 && lifetime > 0 && cltt + lifetime < now.getEpochSecond();
    }

    /** Kea 2.6 and later keep a lease's classes in its user context; earlier versions do not. */
    private static List<String> classes(JsonNode lease) {
        List<String> classes = new ArrayList<>();
        for (JsonNode c : lease.at("/user-context/ISC/client-classes")) {
            if (c.isString() && !BUILT_IN.contains(c.asString())) {
                classes.add(c.asString());
            }
        }
        return classes;
    }

    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(switch (c) {
                case '*' -> ".*";
                case '?' -> ".";
                default -> Pattern.quote(String.valueOf(c));
            });
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
    }

    private static String shortText(String text) {
        String oneLine = text.replaceAll("[\\p{Cntrl}]", " ");
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }
}
