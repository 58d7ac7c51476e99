package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 19, defect 4: an unknown VRF is a usage error; without --vrf, trace covers every enforced VRF. */
class VrfOptionTest {
    private static final String SEED_LAB = "../examples/seed-lab";
    private static final String[] FLOW = {"--src", "10.100.99.51", "--dst", "10.100.99.52", "--proto", "tcp", "--dport", "22"};

    private static CliRun trace(String... extra) {
        String[] args = new String[2 + FLOW.length + extra.length];
        args[0] = "trace";
        args[1] = SEED_LAB;
        System.arraycopy(FLOW, 0, args, 2, FLOW.length);
        System.arraycopy(extra, 0, args, 2 + FLOW.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void traceWithoutVrfTracesTheVrfsTheDeviceEnforcesAndSaysWhichDecided() {
        CliRun run = trace();

        assertThat(run.code()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).containsPattern(" ALL +drop +drop_all_else_web-app ");
    }

    @Test
    void anUnknownVrfIsAUsageErrorNotAnUncheckedForward() {
        CliRun run = trace("--vrf", "AL");

        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--vrf 'AL': no device andreasm-720xp-home has a traffic-policy in that VRF")
                .contains("did you mean 'ALL'?");
        assertThat(run.out()).doesNotContain("forwarded unchecked");
    }

    @Test
    void reachOnAnUnknownVrfIsAUsageErrorNotAnOpenMatrix() {
        CliRun run = CliRun.of("reach", SEED_LAB, "--vrf", "blue");

        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--vrf 'blue': no device andreasm-720xp-home has a traffic-policy in that VRF");
    }
}
