package dev.septum.model.load;

import static dev.septum.model.TestPolicies.at;
import static dev.septum.model.TestPolicies.error;
import static dev.septum.model.TestPolicies.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.model.Group;
import dev.septum.model.GroupSource;
import dev.septum.model.IpFamily;
import dev.septum.model.validate.Diagnostic;
import dev.septum.model.write.PolicyWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A group's {@code source:}: every kind read, written back, and every mistake a located error. */
public class GroupSourcesTest {
    public static final String ALL_KINDS = """
            groups:
              - name: api
                source:
                  kind: dns
                  names: [api.example.com, db.example.com.]
                  server: 127.0.0.1:5353
                  min-refresh: 10s
                  max-refresh: 10m
              - name: laptops
                categories: {site: hq}
                source:
                  kind: dhcp
                  url: http://127.0.0.1:8000/
                  client-classes: [staff]
                  hostname: laptop-*
                  subnets: [10.1.0.0/24]
                  refresh: 1m
              - name: netbox-web
                prefixes: [10.9.0.0/24]
                source:
                  kind: http-json
                  url: https://netbox.example/api/ipam/ip-addresses/?tag=web
                  auth-env: SEPTUM_NETBOX_TOKEN
                  items: /results
                  address: /address
                  as-hosts: true
                  filter: {/status/value: active}
                  categories: {role: /role/value}
              - name: listed
                source: {kind: file, path: members/listed.csv}
                auto-apply: {max-changed: 5}
              - name: cmdb
                source: {kind: push}
            """;

    @Test
    void everyKindIsReadWithItsFieldsAndDefaults() {
        LoadedPolicy loaded = load(ALL_KINDS);

        assertThat(loaded.diagnostics()).as("no 'has no members' warning for a dynamic group").isEmpty();
        Map<String, Group> groups = loaded.model().groups();
        assertThat(groups.get("api").source()).contains(new GroupSource.Dns(
                java.util.List.of("api.example.com", "db.example.com."), Optional.of("127.0.0.1:5353"),
                Duration.ofSeconds(10), Duration.ofMinutes(10)));
        GroupSource.Dhcp dhcp = (GroupSource.Dhcp) groups.get("laptops").source().orElseThrow();
        assertThat(dhcp.family()).isEqualTo(IpFamily.IPV4);
        assertThat(dhcp.clientClasses()).containsExactly("staff");
        assertThat(dhcp.refresh()).isEqualTo(Duration.ofMinutes(1));
        GroupSource.HttpJson http = (GroupSource.HttpJson) groups.get("netbox-web").source().orElseThrow();
        assertThat(http.authHeader()).as("the default header").contains("Authorization");
        assertThat(http.filter()).containsEntry("/status/value", "active");
        assertThat(http.refresh()).isEqualTo(GroupSource.DEFAULT_REFRESH);
        assertThat(groups.get("netbox-web").members()).as("written prefixes stay members").hasSize(1);
        assertThat(groups.get("listed").source()).contains(
                new GroupSource.File("members/listed.csv", GroupSource.File.Format.CSV, GroupSource.DEFAULT_REFRESH));
        assertThat(groups.get("cmdb").source()).contains(new GroupSource.Push());
    }

    @Test
    void writtenSourcesReadBackAsTheSameSources() {
        LoadedPolicy loaded = load(ALL_KINDS);

        LoadedPolicy again = load(PolicyWriter.write(loaded.model()));

        assertThat(again.diagnostics()).isEmpty();
        loaded.model().groups().values().forEach(g ->
                assertThat(again.model().groups().get(g.name()).source()).as(g.name()).isEqualTo(g.source()));
        assertThat(again.model().groups().get("listed").autoApply()).contains(new dev.septum.model.AutoApply(5));
        assertThat(again.model().groups().get("cmdb").autoApply()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            auto-apply: {max-changed: 0}      | max-changed
            auto-apply: {max-changed: many}   | max-changed
            auto-apply: {}                    | max-changed
            auto-apply: {max-change: 5}       | max-change
            """)
    void aBadAutoApplyIsAnErrorAtItsLine(String mistake, String field) {
        String yaml = ALL_KINDS.replace("auto-apply: {max-changed: 5}", mistake);
        LoadedPolicy loaded = load(yaml);

        assertThat(loaded.errors()).as(yaml).isNotEmpty().allSatisfy(d -> assertThat(d.object()).isEqualTo("group 'listed' auto-apply"));
        assertThat(loaded.errors()).filteredOn(d -> d.field().equals(field)).singleElement().satisfies(d -> {
            assertThat(d.field()).isEqualTo(field);
            assertThat(d.object()).isEqualTo("group 'listed' auto-apply");
            assertThat(d.format()).startsWith(at(yaml, mistake).replaceFirst(":\\d+$", ":"));
        });
    }

    @Test
    void autoApplyIsOnlyForADynamicGroup() {
        LoadedPolicy loaded = load(ALL_KINDS.replace("""
                  - name: netbox-web
                """, """
                  - name: fixed
                    prefixes: [10.8.0.0/24]
                    auto-apply: {max-changed: 1}
                  - name: netbox-web
                """));

        assertThat(error(loaded, "is only for a dynamic group").field()).isEqualTo("auto-apply");
    }

    @Test
    void aRuleBetweenDynamicGroupsIsNotCheckedForFamiliesBeforeResolution() {
        LoadedPolicy loaded = load(dev.septum.model.TestPolicies.WORLD.replace("groups:\n", """
                groups:
                  - name: fqdn
                    source: {kind: dns, names: [api.example.com]}
                """) + """
                policies:
                  - name: p
                    domain: campus
                    vrf: blue
                    rules:
                      - name: to-api
                        sources: [web6]
                        destinations: [fqdn]
                        action: forward
                """);

        assertThat(loaded.errors()).isEmpty();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            kind: dns                         | kind: dnss                          | is not a source kind
            names: [api.example.com, db.example.com.] | names: ['api example']              | is not a DNS name
            server: 127.0.0.1:5353            | server: resolver.example:53         | is not an address with an optional port
            min-refresh: 10s                  | min-refresh: 10 s                   | is not a duration from 1s to 24h
            min-refresh: 10s                  | min-refresh: 2h                     | is longer than max-refresh
            url: http://127.0.0.1:8000/       | url: ftp://127.0.0.1/               | is not an http(s) URL with a host
            url: http://127.0.0.1:8000/       | url: http://kea:secret@127.0.0.1/   | holds a user name or password
            hostname: laptop-*                | hostname: 'laptop;rm'               | is not a host name pattern
            auth-env: SEPTUM_NETBOX_TOKEN     | auth-env: HOME                      | is not a SEPTUM_ environment variable name
            as-hosts: true                    | as-hosts: yes please                | is not true or false
            items: /results                   | items: results                      | is not a JSON Pointer
            path: members/listed.csv          | path: ../secrets.csv                | leaves the policy directory
            path: members/listed.csv          | path: members/listed.txt            | cannot be told from the file name
            """)
    void aMistakeIsAnErrorAtItsLine(String valid, String mistake, String problem) {
        assertThat(ALL_KINDS).contains(valid);
        String yaml = ALL_KINDS.replaceFirst(java.util.regex.Pattern.quote(valid), mistake);
        LoadedPolicy loaded = load(yaml);

        Diagnostic d = error(loaded, problem);
        assertThat(d.object()).endsWith(" source");
        String line = at(yaml, mistake).replaceFirst(":\\d+$", ":");
        assertThat(d.format()).as("file:line of the mistake").startsWith(line);
    }

    @Test
    void anUnknownFieldOfAKindIsRefusedWithTheKnownOnes() {
        LoadedPolicy loaded = load(ALL_KINDS.replace("as-hosts: true", "as-host: true"));

        assertThat(error(loaded, "is not a known field").fix()).contains("as-hosts");
    }

    @Test
    void aCaFileOutsideThePolicyDirectoryIsRefused() {
        LoadedPolicy loaded = load(ALL_KINDS.replace("      auth-env: SEPTUM_NETBOX_TOKEN\n",
                "      auth-env: SEPTUM_NETBOX_TOKEN\n      ca-file: /etc/shadow\n"));

        assertThat(error(loaded, "leaves the policy directory").field()).isEqualTo("ca-file");
    }

    @Test
    void aCredentialIsNeverSentOverPlainHttpToAnotherHost() {
        LoadedPolicy loaded = load(ALL_KINDS.replace("https://netbox.example", "http://netbox.example"));

        assertThat(error(loaded, "unencrypted").fix()).contains("https");
    }

}
