package dev.septum.builder.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A small estate in two environments: web and app tiers of two apps, a shared-port trap (two
 * unrelated services on 8080), a dynamic-port service, a drop-else. The guarantees hold at every
 * budget, the boundary is never crossed, and a bigger budget never needs more rules.
 */
class EstateGuaranteesTest {
    static String objects() {
        StringBuilder y = new StringBuilder("groups:\n");
        for (String env : List.of("prod", "test")) {
            int n = 0;
            for (String app : List.of("shop", "pay")) {
                for (String tier : List.of("web", "app")) {
                    int base = 10 * n++;
                    y.append("  - name: ").append(app).append('-').append(tier).append('-').append(env).append('\n')
                            .append("    prefixes: [10.").append(env.equals("prod") ? 1 : 2).append(".0.").append(base + 1)
                            .append(", 10.").append(env.equals("prod") ? 1 : 2).append(".0.").append(base + 2).append("]\n")
                            .append("    categories: {app: ").append(app).append(", tier: ").append(tier).append(", env: ").append(env).append("}\n");
                }
            }
        }
        return y.toString();
    }

    static final String INVENTORY = """
            domains:
              - name: dc
                devices: [leaf1]
                vrfs: [ALL]
            devices:
              - name: leaf1
                platform: eos
                role: switch
            policies:
              - name: dc-policy
                domain: dc
                vrf: ALL
                rules:
                  - name: drop-else
                    action: drop
                    direction: bi
            """;

    static SessionRow tcp(String client, String server, int port, long t) {
        return new SessionRow(0, 6, new Endpoint(IpAddr.parse(client), 40000 + (int) (t % 20000)), new Endpoint(IpAddr.parse(server), port),
                5, 500, 0x1B, 4, 4000, 0x1B, SessionState.COMPLETE, t, t + 10, DirectionEvidence.TCP_FLAGS, 2, EndReason.END_OF_FLOW);
    }

    /** Each web host calls each app host of its app and environment; shop-app serves 8080, pay-app 8080 too (the trap) and 9000-9011. */
    static List<SessionRow> sessions() {
        List<SessionRow> rows = new ArrayList<>();
        Random random = new Random(12);
        long t = 1_700_000_000_000L;
        for (int env = 1; env <= 2; env++) {
            for (int app = 0; app < 2; app++) {
                int web = app * 20;
                int srv = app * 20 + 10;
                for (int w = 1; w <= 2; w++) {
                    for (int a = 1; a <= 2; a++) {
                        rows.add(tcp("10." + env + ".0." + (web + w), "10." + env + ".0." + (srv + a), 8080, t += 1000));
                        if (app == 1) {
                            for (int p = 9000; p < 9012; p += 1 + random.nextInt(2)) {
                                rows.add(tcp("10." + env + ".0." + (web + w), "10." + env + ".0." + (srv + a), p, t += 1000));
                            }
                        }
                    }
                }
            }
        }
        return rows;
    }

    static Recommendation run(double budget) {
        Map<String, String> files = new TreeMap<>(Map.of("objects.yaml", objects(), "inventory.yaml", INVENTORY));
        return Recommender.recommend(files, "estate", sessions(), new RecommendRequest(List.of("app", "tier", "env"), List.of("env"),
                budget, 0.5, 16, new RecommendRequest.Selection.All(), new RecommendRequest.Placement.NewPolicy("recommended"),
                Optional.empty()));
    }

    @Test
    void theGuaranteesHoldAtEveryBudgetAndMoreBudgetNeverNeedsMoreRules() {
        int previous = Integer.MAX_VALUE;
        for (double beta : new double[] {0, 0.25, 1}) {
            Recommendation r = run(beta);
            assertThat(r.guarantees().hold()).as("β=" + beta + ": " + r.guarantees().problems()).isTrue();
            assertThat(r.guarantees().replayAllowed()).isEqualTo(sessions().size());
            assertThat(r.totals().overPermission()).isLessThanOrEqualTo(beta * r.totals().observedWeight() + 1e-9);
            assertThat(r.rules()).allSatisfy(rule -> assertThat(rule.precision()).isGreaterThanOrEqualTo(0.5));
            assertThat(r.rules().size()).isLessThanOrEqualTo(previous);
            previous = r.rules().size();
        }
    }

    @Test
    void atZeroBudgetNothingUnobservedOpensAndTheSharedPortIsNeverMergedAcrossServers() {
        Recommendation r = run(0);
        assertThat(r.totals().overPermission()).isZero();
        // 8080 is served by shop-app and pay-app: a rule for it always names its server group
        assertThat(r.rules()).allSatisfy(rule -> assertThat(rule.destinations()).isNotEmpty());
        assertThat(r.rules()).filteredOn(rule -> rule.destinations().stream().anyMatch(d -> d.startsWith("shop-app")))
                .allSatisfy(rule -> assertThat(rule.ports()).doesNotContain("9000"));
        // 8 exact (web host, app host) pairs per app and environment collapse to one rule per app, environment and port set
        assertThat(r.rules().size()).isLessThanOrEqualTo(4);
    }

    @Test
    void noRuleSpansTwoEnvironments() {
        Recommendation r = run(1);
        assertThat(r.rules()).allSatisfy(rule -> {
            List<String> sides = new ArrayList<>(rule.sources());
            sides.addAll(rule.destinations());
            boolean prod = sides.stream().anyMatch(s -> s.contains("prod"));
            boolean test = sides.stream().anyMatch(s -> s.contains("test"));
            assertThat(prod && test).as(rule.name() + " " + sides).isFalse();
        });
    }
}
