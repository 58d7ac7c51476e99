package dev.septum.deploy.nftables;

import dev.septum.compile.nftables.NftNames;
import dev.septum.compile.nftables.RoutingLines;
import dev.septum.deploy.Commands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Septum's policy-routing rules on a local target: the {@code ip rule}s at Septum's reserved
 * priorities ({@link NftNames#REDIRECT_FIRST} + 1 .. {@link NftNames#REDIRECT_CATCH_ALL}) and the routes
 * of their tables. Replacing them deletes every rule at those priorities (and flushes its table),
 * then runs the config's batches, so a config without redirects leaves none behind and one applied
 * twice does not add its rules twice. Nothing outside those priorities and tables is touched.
 */
final class PolicyRouting {
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(30);

    private final NftTarget.Local target;

    PolicyRouting(NftTarget.Local target) {
        this.target = target;
    }

    /** Replaces Septum's rules and routes with {@code batches} (per family flag); the failure, if any. */
    Optional<String> replace(Map<String, List<String>> batches) {
        for (String family : List.of("-4", "-6")) {
            Commands.Result listed = ip(null, "-j", family, "rule", "show");
            if (!listed.ok()) {
                return Optional.of("cannot list the policy-routing rules (ip " + family + " rule show): " + listed.failure());
            }
            for (JsonNode rule : JsonMapper.builder().build().readTree(listed.stdout())) {
                int priority = rule.path("priority").asInt(-1);
                if (septums(priority)) {
                    Commands.Result deleted = ip(null, family, "rule", "del", "pref", Integer.toString(priority));
                    if (!deleted.ok()) {
                        return Optional.of("cannot delete Septum's rule at priority " + priority + ": " + deleted.failure());
                    }
                    // the table may hold no routes (a fresh one); nothing to flush is fine
                    ip(null, family, "route", "flush", "table", Integer.toString(priority));
                }
            }
            List<String> batch = batches.getOrDefault(family, List.of());
            if (!batch.isEmpty()) {
                Commands.Result applied = ip(String.join("\n", batch) + "\n", family, "-batch", "-");
                if (!applied.ok()) {
                    return Optional.of("ip " + family + " -batch refused Septum's routing: " + applied.failure());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Septum's rules and routes as the kernel holds them, written back as routing sections
     * ({@link NftNames#ROUTING_SECTION}) in the renderer's form: what a rollback re-applies.
     */
    String current() {
        StringBuilder out = new StringBuilder();
        JsonMapper json = JsonMapper.builder().build();
        for (String family : List.of("-4", "-6")) {
            List<String> lines = new ArrayList<>();
            Commands.Result rules = ip(null, "-j", family, "rule", "show");
            for (JsonNode rule : rules.ok() ? json.readTree(rules.stdout()) : json.createArrayNode()) {
                int priority = rule.path("priority").asInt(-1);
                if (!septums(priority)) {
                    continue;
                }
                String fwmark = rule.path("fwmark").asString("")
                        + (rule.path("fwmask").isMissingNode() ? "" : "/" + rule.path("fwmask").asString());
                if (rule.path("action").asString("").equals("unreachable")) {
                    lines.add(RoutingLines.unreachableRule(priority, fwmark));
                    continue;
                }
                String table = rule.path("table").asString("");
                lines.add(RoutingLines.tableRule(priority, fwmark, table));
                Commands.Result routes = ip(null, "-j", family, "route", "show", "table", table);
                for (JsonNode route : routes.ok() ? json.readTree(routes.stdout()) : json.createArrayNode()) {
                    if (route.path("type").asString("").equals("unreachable")) {
                        lines.add(RoutingLines.unreachableDefault(route.path("metric").asLong(), table));
                        continue;
                    }
                    JsonNode hops = route.path("nexthops").isArray() ? route.path("nexthops") : json.createArrayNode().add(route);
                    lines.add(RoutingLines.defaultRoute(table, hops.valueStream()
                            .map(h -> new RoutingLines.Hop(h.path("gateway").asString(), h.path("dev").asString())).toList()));
                }
            }
            if (!lines.isEmpty()) {
                out.append(NftNames.ROUTING_SECTION).append(family).append(" -batch\n");
                lines.forEach(l -> out.append(l).append('\n'));
            }
        }
        return out.toString();
    }

    private static boolean septums(int priority) {
        return priority > NftNames.REDIRECT_FIRST && priority <= NftNames.REDIRECT_CATCH_ALL;
    }

    private Commands.Result ip(String stdin, String... args) {
        List<String> command = new ArrayList<>(target.prefix());
        command.add("ip");
        command.addAll(List.of(args));
        return Commands.run(IP_TIMEOUT, command, stdin);
    }
}
