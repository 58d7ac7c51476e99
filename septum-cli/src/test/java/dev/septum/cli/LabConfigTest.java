package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code septum lab config --router} prints the ruleset of one router of a lab with several (no root, nothing built). */
class LabConfigTest {
    private static final String TWO_ROUTERS = "../septum-lab/src/test/resources/two-domain-lab";

    @Test
    void eachRouterPrintsItsOwnDevicesRuleset() {
        CliRun core = CliRun.of("lab", "config", TWO_ROUTERS);
        CliRun dc = CliRun.of("lab", "config", TWO_ROUTERS, "--router", "dc");

        assertThat(core.code()).as(core.err()).isZero();
        assertThat(core.out()).contains("ruleset for device lab-campus", "c_no-ssh-to-db").doesNotContain("c_no-client-http-to-db");
        assertThat(dc.code()).as(dc.err()).isZero();
        assertThat(dc.out()).contains("ruleset for device lab-dc", "c_no-client-http-to-db").doesNotContain("c_no-ssh-to-db");
    }

    @Test
    void anUnknownRouterNamesTheRouters() {
        CliRun run = CliRun.of("lab", "config", TWO_ROUTERS, "--router", "core");

        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("septum lab config: no router is named 'core'. Fix: use one of campus, dc");
    }
}
