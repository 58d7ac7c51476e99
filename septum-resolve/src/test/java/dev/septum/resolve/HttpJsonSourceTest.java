package dev.septum.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.ResolutionSnapshot.Member;
import dev.septum.compile.pipeline.ResolutionSnapshot.ResolvedGroup;
import dev.septum.model.validate.Diagnostic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An http-json source against a real HTTPS server (the JDK's) with certificates from a test CA:
 * NetBox's IP-address answer, verification on (an untrusted or self-signed certificate is
 * refused), the credential from a SEPTUM_ variable and never shown, and bad answers named.
 */
class HttpJsonSourceTest {
    private static final String TOKEN = "Token abc123-secret";
    private static final String NETBOX = """
            {"count": 3, "next": null, "previous": null, "results": [
              {"id": 1, "address": "10.20.0.5/24", "status": {"value": "active"}, "role": {"value": "vip"}},
              {"id": 2, "address": "10.20.0.6/24", "status": {"value": "deprecated"}, "role": null},
              {"id": 3, "address": "2001:db8:20::7/64", "status": {"value": "active"}, "role": null}]}
            """;

    @TempDir
    Path dir;
    TestCa ca;

    @BeforeEach
    void ca() throws Exception {
        ca = TestCa.create(dir);
    }

    private SourceResolver resolver(Map<String, String> env) {
        return new SourceResolver(dir, name -> Optional.ofNullable(env.get(name)), Clock.systemUTC());
    }

    private PolicyBuild build(Inventory inventory, String scheme, String extra, Map<String, String> env) throws Exception {
        Policies.write(dir, """
                  - name: dyn
                    source:
                      kind: http-json
                      url: %s
                      auth-env: SEPTUM_NETBOX_TOKEN
                      items: /results
                      address: /address
                      as-hosts: true
                      filter: {/status/value: active}
                      categories: {role: /role/value}
                %s""".formatted(inventory.url(scheme, "/api/ipam/ip-addresses/?tag=web"), extra));
        return Policies.build(dir, resolver(env));
    }

    private static String problem(PolicyBuild build) {
        return build.resolution().groups().get("dyn").problem().orElseThrow();
    }

    @Test
    void netBoxAddressesOverVerifiedHttpsBecomeMembersWithTheirCategories() throws Exception {
        try (Inventory netbox = Inventory.https(ca.server("netbox", true))) {
            netbox.body = NETBOX;

            PolicyBuild build = build(netbox, "https", "      ca-file: ca.pem\n", Map.of("SEPTUM_NETBOX_TOKEN", TOKEN));

            assertThat(build.errors()).isEmpty();
            ResolvedGroup dyn = build.resolution().groups().get("dyn");
            assertThat(dyn.members()).extracting(m -> m.prefix().toString(), Member::categories).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("10.20.0.5/32", Map.of("role", "vip")),
                    org.assertj.core.groups.Tuple.tuple("2001:db8:20::7/128", Map.of()));
            assertThat(netbox.authorizations).containsExactly(TOKEN);
            assertThat(build.deviceConfigs().getFirst().config()).contains("10.20.0.5").doesNotContain("10.20.0.6");
        }
    }

    @Test
    void aCertificateFromACaTheJdkDoesNotTrustIsRefused() throws Exception {
        try (Inventory netbox = Inventory.https(ca.server("netbox", true))) {
            netbox.body = NETBOX;

            PolicyBuild build = build(netbox, "https", "", Map.of("SEPTUM_NETBOX_TOKEN", TOKEN));

            assertThat(build.devices()).isEmpty();
            assertThat(problem(build)).contains("certificate is not trusted").contains("set ca-file");
            assertThat(netbox.authorizations).as("no request got through, so no token left").isEmpty();
        }
    }

    @Test
    void aSelfSignedCertificateIsRefusedEvenWithACaFile() throws Exception {
        try (Inventory rogue = Inventory.https(ca.server("rogue", false))) {
            rogue.body = NETBOX;

            PolicyBuild build = build(rogue, "https", "      ca-file: ca.pem\n", Map.of("SEPTUM_NETBOX_TOKEN", TOKEN));

            assertThat(problem(build)).contains("certificate is not trusted");
            assertThat(rogue.authorizations).isEmpty();
        }
    }

    @Test
    void theCredentialNeverAppearsInDiagnosticsOrTheSnapshot() throws Exception {
        try (Inventory netbox = Inventory.http()) {
            netbox.status = 403;

            PolicyBuild build = build(netbox, "http", "", Map.of("SEPTUM_NETBOX_TOKEN", TOKEN));

            assertThat(problem(build)).contains("HTTP 403 (check the credential in the auth-env variable)");
            assertThat(build.diagnostics()).extracting(Diagnostic::format).noneMatch(d -> d.contains("abc123"));
            assertThat(build.resolution().toString()).doesNotContain("abc123");
        }
    }

    @Test
    void anUnsetVariableIsNamed() throws Exception {
        try (Inventory netbox = Inventory.http()) {
            assertThat(problem(build(netbox, "http", "", Map.of())))
                    .isEqualTo("environment variable SEPTUM_NETBOX_TOKEN (auth-env) is not set");
        }
    }

    @Test
    void badAnswersAreErrorsNamingTheItemAndField() throws Exception {
        try (Inventory netbox = Inventory.http()) {
            Map<String, String> env = Map.of("SEPTUM_NETBOX_TOKEN", TOKEN);
            netbox.body = NETBOX.replace("10.20.0.5/24", "10.20.0.300/24");
            assertThat(problem(build(netbox, "http", "", env)))
                    .isEqualTo("item 0 field /address: '10.20.0.300/24' is not an IPv4 or IPv6 address or prefix");

            netbox.body = NETBOX.replace("\"address\": \"10.20.0.5/24\", ", "");
            assertThat(problem(build(netbox, "http", "", env))).isEqualTo("item 0 field /address: has no field /address");

            netbox.body = "{\"results\": 7}";
            assertThat(problem(build(netbox, "http", "", env))).startsWith("the answer has no list at /results");

            netbox.body = NETBOX.replace("\"next\": null", "\"next\": \"http://127.0.0.1/page2\"");
            assertThat(problem(build(netbox, "http", "", env))).startsWith("the answer is one page of several");

            netbox.body = "<html>login</html>";
            assertThat(problem(build(netbox, "http", "", env))).startsWith("GET http://127.0.0.1:").contains("is not JSON");

            netbox.body = "[" + "\"10.0.0.1\",".repeat(HttpFetch.MAX_BODY / 11 + 1) + "\"10.0.0.1\"]";
            assertThat(problem(build(netbox, "http", "", env))).endsWith("the answer is larger than 8 MiB");
        }
    }

    @Test
    void aFailingInventoryKeepsItsLastGoodMembers() throws Exception {
        try (Inventory netbox = Inventory.https(ca.server("netbox", true))) {
            netbox.body = NETBOX;
            Policies.write(dir, """
                      - name: dyn
                        source: {kind: http-json, url: '%s', ca-file: ca.pem, items: /results, as-hosts: true}
                    """.formatted(netbox.url("https", "/api/ipam/ip-addresses/")));
            SourceResolver resolver = resolver(Map.of());
            assertThat(Policies.build(dir, resolver).model().groups().get("dyn").members()).hasSize(3);

            netbox.status = 500;
            PolicyBuild after = Policies.build(dir, resolver);

            assertThat(after.ok()).isTrue();
            assertThat(after.model().groups().get("dyn").members()).hasSize(3);
            assertThat(problem(after)).endsWith(": HTTP 500");
        }
        assertThat(Files.exists(dir.resolve("ca.pem"))).isTrue();
    }
}
