package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Drift state on /metrics against a real kernel: the router is an nftables table in a network
 * namespace this test creates (removed in close(), also after a failure). Each drift check and
 * repair sets the device's gauge and the time of the check; a device nobody checked has none.
 */
class DriftMetricsTest {
    private static final String DEVICE = "andreasm-720xp-home";
    private static final Pattern CHECKED = Pattern.compile(
            "septum_device_drift_checked_timestamp_seconds\\{device=\"" + DEVICE + "\"} (\\S+)");

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void eachDriftCheckSetsTheDevicesGaugeAndWhenItWasChecked(String kind) {
        try (Namespaces netns = Namespaces.requireRoot(); ServerHarness h = new ServerHarness(kind, dataDir)) {
            String router = netns.create("drift");
            assertThat(h.admin.post("/api/versions", SeedLab.importBody()).status()).isEqualTo(201);
            DeployTestSupport.bindNamespace(h, DEVICE, router);
            assertThat(metrics(h)).doesNotContain("septum_device_drift{");

            // the namespace holds nothing yet: drifted
            Instant before = Instant.now();
            assertThat(h.admin.get("/api/devices/" + DEVICE + "/drift").json().path("inSync").asBoolean()).isFalse();
            String drifted = metrics(h);
            assertThat(drifted).contains("septum_device_drift{device=\"" + DEVICE + "\",version=\"1\"} 1.0");
            double firstCheck = checked(drifted);
            assertThat(firstCheck).isBetween(before.toEpochMilli() / 1000.0, Instant.now().toEpochMilli() / 1000.0);

            // the repair reads the device back after deploying: in sync
            assertThat(h.bob.post("/api/devices/" + DEVICE + "/drift/repair", "").json().path("inSync").asBoolean()).isTrue();
            String repaired = metrics(h);
            assertThat(repaired).contains("septum_device_drift{device=\"" + DEVICE + "\",version=\"1\"} 0.0");
            assertThat(checked(repaired)).isGreaterThanOrEqualTo(firstCheck);

            // someone empties a set by hand: the next check finds the drift
            netns.nft(router, "flush", "set", "inet", "septum", "g_appserver1");
            assertThat(h.admin.get("/api/devices/" + DEVICE + "/drift").json().path("inSync").asBoolean()).isFalse();
            assertThat(metrics(h)).contains("septum_device_drift{device=\"" + DEVICE + "\",version=\"1\"} 1.0");
        }
    }

    private static String metrics(ServerHarness h) {
        Http.Response r = h.bob.get("/metrics");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private static double checked(String metrics) {
        Matcher m = CHECKED.matcher(metrics);
        assertThat(m.find()).as(metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
