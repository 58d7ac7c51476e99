package dev.septum.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.ResolutionSnapshot.Member;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dhcp source against a real Kea DHCPv4 server and control agent: the leases Kea holds, filtered
 * by host name pattern, subnet and client class. Kea 2.6 records a lease's client classes in its
 * user context; Debian 12's Kea 2.2 does not, so this test adds them the way 2.6 writes them.
 */
class DhcpSourceTest {
    @TempDir
    Path dir;

    private PolicyBuild build(Kea kea, String filters) throws Exception {
        Policies.write(dir, """
                  - name: dyn
                    source: {kind: dhcp, url: '%s'%s}
                """.formatted(kea.url(), filters));
        return Policies.build(dir, new SourceResolver(dir, n -> Optional.empty(), Clock.systemUTC()));
    }

    private static java.util.List<String> members(PolicyBuild build) {
        return build.resolution().groups().get("dyn").members().stream().map(m -> m.prefix().toString()).toList();
    }

    @Test
    void leasesBecomeMembersAndFollowKeasLeaseTable() throws Exception {
        try (Kea kea = Kea.start(dir)) {
            PolicyBuild none = build(kea, "");
            assertThat(none.errors()).as("no leases is an answer: an empty group").isEmpty();
            assertThat(members(none)).isEmpty();

            kea.addLease("10.1.0.150", "1a:1b:1c:1d:1e:01", "laptop-ann", "staff");
            kea.addLease("10.1.0.151", "1a:1b:1c:1d:1e:02", "printer-3");
            kea.addLease("10.2.0.120", "1a:1b:1c:1d:1e:03", "laptop-bob", "guest");

            assertThat(members(build(kea, ""))).containsExactly("10.1.0.150/32", "10.1.0.151/32", "10.2.0.120/32");
            assertThat(members(build(kea, ", hostname: 'laptop-*'"))).containsExactly("10.1.0.150/32", "10.2.0.120/32");
            assertThat(members(build(kea, ", subnets: [10.1.0.0/24]"))).containsExactly("10.1.0.150/32", "10.1.0.151/32");
            PolicyBuild staff = build(kea, ", client-classes: [staff]");
            assertThat(staff.resolution().groups().get("dyn").members()).extracting(m -> m.prefix().toString(), Member::categories)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("10.1.0.150/32", Map.of("client-class", "staff")));
            assertThat(staff.deviceConfigs().getFirst().config()).contains("10.1.0.150").doesNotContain("10.2.0.120");

            kea.deleteLease("10.1.0.150");
            assertThat(members(build(kea, ", hostname: 'laptop-*'"))).containsExactly("10.2.0.120/32");
        }
    }

    @Test
    void anAgentThatIsGoneKeepsTheLastGoodLeases() throws Exception {
        SourceResolver resolver = new SourceResolver(dir, n -> Optional.empty(), Clock.systemUTC());
        Kea kea = Kea.start(dir);
        try {
            kea.addLease("10.1.0.150", "1a:1b:1c:1d:1e:01", "laptop-ann");
            Policies.write(dir, "  - {name: dyn, source: {kind: dhcp, url: '" + kea.url() + "'}}\n");
            assertThat(Policies.build(dir, resolver).model().groups().get("dyn").members()).hasSize(1);
        } finally {
            kea.close();
        }

        PolicyBuild after = Policies.build(dir, resolver);

        assertThat(after.ok()).isTrue();
        assertThat(after.model().groups().get("dyn").members()).hasSize(1);
        assertThat(after.resolution().groups().get("dyn").problem()).get().asString()
                .startsWith("POST http://127.0.0.1:" + kea.port + "/: ");
    }
}
