package dev.septum.deploy.eapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.septum.compile.eos.EosRenderer;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.DevicePlanner;
import dev.septum.model.load.PolicyLoader;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EOS per-match hit counters read over eAPI and mapped back to rules. No EOS can run here: the
 * switch is the in-process eAPI test server, answering {@code show traffic-policy counters} in the
 * JSON shape {@link EosCounters} documents (and with EOS's error shapes when told to).
 */
class EosCountersTest {
    @TempDir
    Path dir;
    EapiTestServer device;
    DevicePlan plan;
    EapiDriver driver;

    @BeforeEach
    void deploySeedConfig() throws Exception {
        device = new EapiTestServer(dir);
        plan = DevicePlanner.plan(PolicyLoader.loadDirectory(EosConfigSessionTest.SEED_LAB).model(), "andreasm-720xp-home")
                .orElseThrow();
        EapiTarget target = new EapiTarget("andreasm-720xp-home", device.uri(), pem(device.certificate()), "SEPTUM_EAPI_SW");
        driver = new EapiDriver(target, name -> name.equals("SEPTUM_EAPI_SW")
                ? EapiTestServer.USER + ":" + EapiTestServer.PASSWORD : null);
        assertThat(driver.push(new EosRenderer().render(plan), Duration.ofMinutes(4)))
                .isInstanceOf(EosConfigSession.Outcome.Committed.class);
    }

    @AfterEach
    void stop() {
        device.close();
    }

    static String pem(X509Certificate certificate) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    @Test
    void everyMatchIncludingReverseMapsToItsRule() {
        device.hits.put("web-to-appserver1", 7L);
        device.hits.put("web-to-appserver1-reverse", 5L);
        List<EosCounters.MatchCounter> counters = driver.counters(plan);

        assertThat(counters).contains(
                new EosCounters.MatchCounter("vrf_all_home", "web-to-appserver1", "vrf_all_home/web-to-appserver1", 7, 700),
                new EosCounters.MatchCounter("vrf_all_home", "web-to-appserver1-reverse", "vrf_all_home/web-to-appserver1", 5, 500));
        // every rendered match is read back, in the policy's order, each with the rule it came from
        List<String> rendered = plan.trafficPolicies().getFirst().matches().stream().map(m -> m.name()).toList();
        assertThat(counters.stream().map(EosCounters.MatchCounter::match).toList())
                .containsExactlyElementsOf(concat(rendered, List.of("ipv4-all-default", "ipv6-all-default")));
        assertThat(counters).filteredOn(c -> c.match().endsWith("-all-default"))
                .allSatisfy(c -> assertThat(c.rule()).isEqualTo("vrf_all_home/(default)"));
        assertThat(counters).filteredOn(c -> !c.match().endsWith("-all-default"))
                .allSatisfy(c -> assertThat(c.rule()).startsWith("vrf_all_home/").doesNotEndWith("-reverse"));
        assertThat(device.requests.getLast()).containsExactly("enable", "show traffic-policy counters");
    }

    @Test
    void aReleaseWithoutTheCommandGetsAnErrorNamingTheSwitchAndTheFix() {
        device.unsupportedCommands.add("show traffic-policy counters");
        assertThatThrownBy(() -> driver.counters(plan)).isInstanceOf(EosCounterException.class)
                .hasMessageContaining("switch andreasm-720xp-home (https://127.0.0.1:")
                .hasMessageContaining("cannot answer 'show traffic-policy counters'")
                .hasMessageContaining("Invalid input (at token 1: 'traffic-policy')")
                .hasMessageContaining("Fix: traffic-policy counters need EOS 4.25 or later")
                .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
    }

    @Test
    void aReplyOfAnotherShapeIsRefusedNamingTheMissingField() {
        device.countersReply = Map.of("policies", Map.of());
        assertThatThrownBy(() -> driver.counters(plan)).isInstanceOf(EosCounterException.class)
                .hasMessageContaining("switch andreasm-720xp-home")
                .hasMessageContaining("has no 'trafficPolicies' object (top-level fields: [policies])")
                .hasMessageContaining("Fix: report the EOS version and this reply");

        device.countersReply = Map.of("trafficPolicies", Map.of("vrf_all_home", Map.of("rules",
                List.of(Map.of("ruleString", "web-to-appserver1", "counters", Map.of("packets", 3))))));
        assertThatThrownBy(() -> driver.counters(plan)).isInstanceOf(EosCounterException.class)
                .hasMessageContaining("traffic-policy 'vrf_all_home' has a rule without 'ruleString' and 'counters'");
    }

    @Test
    void aReplyThatIsNotJsonRpcSaysSo() {
        device.rawReply = "<html>proxy login</html>";
        assertThatThrownBy(() -> driver.counters(plan)).isInstanceOf(EosCounterException.class)
                .hasMessageContaining("is not JSON-RPC")
                .hasMessageContaining("check that the target URL is the switch's eAPI");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
