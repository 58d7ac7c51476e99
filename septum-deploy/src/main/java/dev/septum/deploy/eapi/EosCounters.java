package dev.septum.deploy.eapi;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.compile.plan.TrafficPolicyPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads EOS traffic-policy hit counters over eAPI ({@code show traffic-policy counters}, JSON) and
 * maps each match, {@code -reverse} and {@code -ipv6} matches included, back to the model rule it
 * was rendered from, using the device plan (the same plan the renderer used, so the names agree).
 *
 * <p>The reply shape: {@code trafficPolicies -> <policy> -> rules[] -> ruleString} is the structure
 * ANTA's fixtures record for {@code show traffic-policy interface} on real switches; the per-rule
 * {@code counters {matchedPackets, matchedBytes}} names come from a third-party fixture, not from a
 * switch. No EOS runs here, so a switch that answers otherwise gets a clear "unexpected reply"
 * error naming the field, never a wrong number: this class is the one place to adjust.
 */
public final class EosCounters {
    static final String COMMAND = "show traffic-policy counters";
    /** The rule column of EOS's built-in last matches, which no model rule renders. */
    static final String DEFAULT_RULE = "(default)";

    /**
     * One match's counters.
     *
     * @param rule {@code <policy>/<rule>} as the nftables counters' comments name it; {@code
     *             <traffic-policy>/(default)} for the built-in defaults; empty when the newest
     *             version does not render this match (the device has drifted)
     */
    public record MatchCounter(String trafficPolicy, String match, String rule, long packets, long bytes) {
    }

    private EosCounters() {
    }

    static List<MatchCounter> read(EapiClient eapi, EapiTarget target, DevicePlan plan) {
        List<JsonNode> reply;
        try {
            reply = eapi.run(List.of("enable", COMMAND), "json");
        } catch (EapiException e) {
            if (e.code() == 1002 || e.code() == 1003) {
                // 1002: the CLI does not know the command; 1003: it has no JSON form on this release
                throw new EosCounterException(target.describe() + " cannot answer '" + COMMAND + "' in JSON: " + e.describe()
                        + ". Fix: traffic-policy counters need EOS 4.25 or later with traffic-policies configured and"
                        + " counting ('count' actions, as Septum renders them); upgrade EOS or unbind the device from"
                        + " counter polling by removing its target");
            }
            throw new EosCounterException("reading counters from " + target.describe() + " failed: " + e.describe());
        }
        return parse(reply.getLast(), target, plan);
    }

    static List<MatchCounter> parse(JsonNode reply, EapiTarget target, DevicePlan plan) {
        JsonNode policies = reply.path("trafficPolicies");
        if (!policies.isObject()) {
            throw unexpected(target, "has no 'trafficPolicies' object (top-level fields: " + reply.propertyNames() + ")");
        }
        Map<String, String> rules = rulesByMatch(plan);
        List<MatchCounter> counters = new ArrayList<>();
        for (String policy : policies.propertyNames()) {
            JsonNode list = policies.path(policy).path("rules");
            if (!list.isArray()) {
                throw unexpected(target, "traffic-policy '" + policy + "' has no 'rules' list");
            }
            for (JsonNode rule : list) {
                String match = rule.path("ruleString").asString("");
                JsonNode count = rule.path("counters");
                if (match.isEmpty() || !count.path("matchedPackets").isIntegralNumber()
                        || !count.path("matchedBytes").isIntegralNumber()) {
                    throw unexpected(target, "traffic-policy '" + policy + "' has a rule without 'ruleString' and"
                            + " 'counters' {matchedPackets, matchedBytes}: " + rule);
                }
                String mapped = match.endsWith("-all-default") ? policy + "/" + DEFAULT_RULE
                        : rules.getOrDefault(policy + "\n" + match, "");
                counters.add(new MatchCounter(policy, match, mapped, count.path("matchedPackets").asLong(),
                        count.path("matchedBytes").asLong()));
            }
        }
        return counters;
    }

    private static Map<String, String> rulesByMatch(DevicePlan plan) {
        Map<String, String> rules = new HashMap<>();
        for (TrafficPolicyPlan tp : plan.trafficPolicies()) {
            for (MatchEntry m : tp.matches()) {
                rules.put(tp.name() + "\n" + m.name(), m.policy() + "/" + m.rule());
            }
        }
        return rules;
    }

    private static EosCounterException unexpected(EapiTarget target, String what) {
        return new EosCounterException(target.describe() + " answered '" + COMMAND + "' in a shape Septum does not know: the reply "
                + what + ". Fix: report the EOS version and this reply to the Septum project; the switch's counters"
                + " are not stored until then");
    }
}
