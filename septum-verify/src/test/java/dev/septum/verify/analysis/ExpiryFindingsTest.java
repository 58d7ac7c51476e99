package dev.septum.verify.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.verify.Finding;
import dev.septum.verify.Level;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An expired rule is an error, one expiring within the window a warning; a rule is in force through its day. */
class ExpiryFindingsTest {
    private static final LocalDate TODAY = LocalDate.of(2027, 3, 10);
    private static final String POLICY = """
            domains: [{name: d, devices: [sw], vrfs: [ALL]}]
            devices: [{name: sw, platform: eos}]
            groups: [{name: web, prefixes: [10.2.0.0/24]}]
            policies:
              - name: p
                domain: d
                rules:
                  - {name: gone, destinations: [web], action: forward, expires: 2027-03-09, owner: ops, ticket: CHG-1}
                  - {name: today, destinations: [web], action: forward, expires: 2027-03-10, owner: ops}
                  - {name: soon, destinations: [web], action: forward, expires: 2027-03-24, owner: net-team}
                  - {name: later, destinations: [web], action: forward, expires: 2027-03-25, owner: net-team}
                  - {name: forever, destinations: [web], action: drop}
            """;

    @Test
    void expiredIsAnErrorAndTheWindowWarns() {
        PolicyBuild build = PolicyBuild.of(PolicySource.files("p.yaml", Map.of("p.yaml", POLICY)));
        assertThat(build.errors()).isEmpty();

        List<Finding> findings = ExpiryFindings.find(build.model(), TODAY, ExpiryFindings.days("14d"));

        assertThat(findings).extracting(f -> f.level() + " " + f.kind() + " " + f.subject()).containsExactly(
                "ERROR expired gone", "WARNING expiring today", "WARNING expiring soon");
        assertThat(findings.getFirst().message()).isEqualTo("expired on 2027-03-09 (owner ops, ticket CHG-1) and still enforces: "
                + "remove it through a reviewed change, or extend 'expires'");
        assertThat(findings.get(2).message()).isEqualTo("expires on 2027-03-24, in 14 days (owner net-team)");
        assertThat(ExpiryFindings.find(build.model(), TODAY, 0)).extracting(Finding::level).containsExactly(Level.ERROR, Level.WARNING);
    }

    @Test
    void aWindowThatIsNotDaysIsRefused() {
        assertThatThrownBy(() -> ExpiryFindings.days("2w")).isInstanceOf(BadParameter.class).hasMessageContaining("e.g. 14d");
    }
}
