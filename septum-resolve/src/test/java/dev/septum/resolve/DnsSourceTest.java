package dev.septum.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.ResolutionSnapshot.ResolvedGroup;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dns source against a real dnsmasq whose records the test changes and reloads with SIGHUP. */
class DnsSourceTest {
    @TempDir
    Path dir;

    private SourceResolver resolver() {
        return new SourceResolver(dir, name -> Optional.empty(), Clock.systemUTC());
    }

    private static String group(Dnsmasq dns, String extra) {
        return """
                  - name: dyn
                    source: {kind: dns, names: [api.test], server: '%s', min-refresh: 2s, max-refresh: 1h%s}
                """.formatted(dns.server(), extra);
    }

    private static List<String> members(PolicyBuild build) {
        return build.model().groups().get("dyn").members().stream().map(Object::toString).toList();
    }

    @Test
    void aRecordChangeReachesTheNextBuildsConfigAndTheTtlSetsWhenToAskAgain() throws Exception {
        try (Dnsmasq dns = Dnsmasq.start(dir, "198.51.100.10 api.test\n2001:db8::10 api.test\n", 7)) {
            Policies.write(dir, group(dns, ""));
            SourceResolver resolver = resolver();

            PolicyBuild first = Policies.build(dir, resolver);

            assertThat(first.errors()).isEmpty();
            assertThat(members(first)).containsExactly("198.51.100.10/32", "2001:db8::10/128");
            assertThat(first.deviceConfigs().getFirst().config()).contains("198.51.100.10");
            ResolvedGroup dyn = first.resolution().groups().get("dyn");
            assertThat(dyn.members()).allSatisfy(m -> assertThat(m.categories()).containsEntry("fqdn", "api.test"));
            assertThat(resolver.due("dyn")).contains(dyn.resolvedAt().orElseThrow().plusSeconds(7));

            dns.rewrite("198.51.100.11 api.test\n");
            PolicyBuild second = awaitBuild(resolver, b -> members(b).equals(List.of("198.51.100.11/32")));

            assertThat(second.deviceConfigs().getFirst().config()).contains("198.51.100.11").doesNotContain("198.51.100.10");
            assertThat(first.model().groups().get("dyn").members()).as("the first build keeps its own snapshot").hasSize(2);
        }
    }

    @Test
    void aTtlBelowTheMinimumIsRaisedToIt() throws Exception {
        try (Dnsmasq dns = Dnsmasq.start(dir, "198.51.100.10 api.test\n", 0)) {
            Policies.write(dir, group(dns, ""));
            SourceResolver resolver = resolver();

            ResolvedGroup dyn = Policies.build(dir, resolver).resolution().groups().get("dyn");

            assertThat(resolver.due("dyn")).contains(dyn.resolvedAt().orElseThrow().plus(Duration.ofSeconds(2)));
        }
    }

    @Test
    void aResolverThatStopsAnsweringKeepsTheLastGoodMembersWithTheirAge() throws Exception {
        Dnsmasq dns = Dnsmasq.start(dir, "198.51.100.10 api.test\n", 60);
        SourceResolver resolver = resolver();
        try {
            Policies.write(dir, group(dns, ""));
            assertThat(Policies.build(dir, resolver).errors()).isEmpty();
        } finally {
            dns.stop();
        }

        PolicyBuild after = Policies.build(dir, resolver);

        assertThat(after.ok()).as("a failing source never blocks a group that resolved before").isTrue();
        assertThat(members(after)).containsExactly("198.51.100.10/32");
        ResolvedGroup dyn = after.resolution().groups().get("dyn");
        assertThat(dyn.problem()).get().asString().contains("api.test A from " + dns.server());
        assertThat(after.diagnostics()).anySatisfy(d -> assertThat(d.format())
                .contains("group 'dyn', field 'source': failed (api.test A from " + dns.server())
                .contains("the members of its last good answer, 0s old, are kept"));
    }

    @Test
    void aNameThatDoesNotExistNeverResolvesAndBlocksTheBuild() throws Exception {
        try (Dnsmasq dns = Dnsmasq.start(dir, "198.51.100.10 other.test\n", 60)) {
            Policies.write(dir, group(dns, ""));

            PolicyBuild build = Policies.build(dir, resolver());

            assertThat(build.devices()).isEmpty();
            assertThat(build.errors()).singleElement().satisfies(d -> assertThat(d.format())
                    .startsWith(dir.resolve("policy.yaml") + ":5:11: error: group 'dyn', field 'source': has never resolved: "
                            + "api.test A from " + dns.server() + ": the name does not exist (NXDOMAIN)"));
        }
    }

    /** dnsmasq rereads its hosts file asynchronously after SIGHUP: ask until it serves the new records. */
    private PolicyBuild awaitBuild(SourceResolver resolver, java.util.function.Predicate<PolicyBuild> done)
            throws InterruptedException {
        PolicyBuild build = null;
        for (int i = 0; i < 100; i++) {
            build = Policies.build(dir, resolver);
            if (done.test(build)) {
                return build;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("dnsmasq never served the new records; last members " + members(build));
    }
}
