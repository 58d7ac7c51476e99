package dev.septum.deploy.eapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.eos.EosRenderer;
import dev.septum.compile.plan.DevicePlanner;
import dev.septum.model.load.PolicyLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eAPI driver against an in-process eAPI test server (no EOS can run here): the command
 * sequence of a configuration session, EOS-shaped errors, abort on any failure, and a pinned
 * certificate.
 */
class EosConfigSessionTest {
    static final Path SEED_LAB = Path.of("..", "examples", "seed-lab");

    @TempDir
    Path dir;
    EapiTestServer device;
    String config;

    @BeforeEach
    void start() throws Exception {
        device = new EapiTestServer(dir);
        var model = PolicyLoader.loadDirectory(SEED_LAB).model();
        config = new EosRenderer().render(DevicePlanner.plan(model, "andreasm-720xp-home").orElseThrow());
    }

    @AfterEach
    void stop() {
        device.close();
    }

    private EosConfigSession session(String password) {
        EapiClient eapi = new EapiClient(device.uri(), EapiTestServer.USER, password.toCharArray(), device.certificate(),
                Duration.ofSeconds(10));
        return new EosConfigSession(eapi, "septum-cc1", Duration.ofMinutes(4));
    }

    @Test
    void commitsThroughATimedSessionAndConfirmsAfterReadingBack() {
        EosConfigSession.Outcome outcome = session(EapiTestServer.PASSWORD).push(config);
        assertThat(outcome).isInstanceOf(EosConfigSession.Outcome.Committed.class);
        String diff = ((EosConfigSession.Outcome.Committed) outcome).diff();
        assertThat(diff).contains("-   traffic-policy old", "+      match web-to-appserver1 ipv4");

        List<List<String>> calls = device.requests;
        assertThat(calls).hasSize(5);
        assertThat(calls.get(0).subList(0, 3)).containsExactly("enable", "configure session septum-cc1", "no traffic-policies");
        assertThat(calls.get(0)).contains("traffic-policies", "   vrf ALL");
        assertThat(calls.get(0)).doesNotContain("!").contains("         !! allow webservers to appserver1");
        assertThat(calls.get(1)).containsExactly("enable", "configure session septum-cc1", "show session-config diffs");
        assertThat(calls.get(2)).containsExactly("enable", "configure session septum-cc1", "commit timer 00:04:00");
        assertThat(calls.get(3)).containsExactly("enable", "show running-config section traffic-policies");
        assertThat(calls.get(4)).containsExactly("enable", "configure session septum-cc1 commit");
        assertThat(device.running()).contains("hostname sw1", "      match web-to-appserver1-reverse ipv4")
                .doesNotContain("   traffic-policy old");
    }

    @Test
    void aRefusedLineAbortsTheSessionAndLeavesTheRunningConfig() {
        device.rejectedTokens.add("appserver1-tcp-reverse");
        List<String> before = device.running();
        EosConfigSession.Outcome outcome = session(EapiTestServer.PASSWORD).push(config);
        assertThat(outcome).isInstanceOfSatisfying(EosConfigSession.Outcome.Aborted.class, a -> {
            assertThat(a.stage()).isEqualTo("load");
            assertThat(a.reason()).contains("failed: invalid command", "Invalid input (at token 1: 'appserver1-tcp-reverse')");
        });
        assertThat(device.requests.getLast()).containsExactly("enable", "configure session septum-cc1", "abort");
        assertThat(device.running()).isEqualTo(before);
    }

    @Test
    void aCommitTheHardwareRefusesIsAbortedToo() {
        device.commitError = "Error: Unsupported ingress qualifier";
        List<String> before = device.running();
        EosConfigSession.Outcome outcome = session(EapiTestServer.PASSWORD).push(config);
        assertThat(outcome).isInstanceOfSatisfying(EosConfigSession.Outcome.Aborted.class, a -> {
            assertThat(a.stage()).isEqualTo("commit");
            assertThat(a.reason()).contains("Unsupported ingress qualifier");
        });
        assertThat(device.running()).isEqualTo(before);
    }

    @Test
    void badCredentialsAndAnUnpinnedCertificateNeverChangeTheDevice() throws Exception {
        List<String> before = device.running();
        assertThat(session("wrong").push(config)).isInstanceOfSatisfying(EosConfigSession.Outcome.Aborted.class,
                a -> assertThat(a.reason()).contains("HTTP 401", "credentials"));
        try (EapiTestServer other = new EapiTestServer(java.nio.file.Files.createTempDirectory(dir, "other"))) {
            EapiClient pinnedToOther = new EapiClient(device.uri(), EapiTestServer.USER, EapiTestServer.PASSWORD.toCharArray(),
                    other.certificate(), Duration.ofSeconds(10));
            assertThat(new EosConfigSession(pinnedToOther, "septum-cc2", Duration.ofMinutes(4)).push(config))
                    .isInstanceOfSatisfying(EosConfigSession.Outcome.Aborted.class, a -> assertThat(a.reason()).contains("unreachable"));
        }
        assertThat(device.running()).isEqualTo(before);
        assertThat(device.requests).isEmpty();
    }
}
