package dev.septum.model.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.model.load.LoadedPolicy;
import dev.septum.model.load.PolicyLoader;
import dev.septum.model.validate.NameRules;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The schema and the loader agree on real documents: the sample passes both, mistakes fail both. */
class SchemaSamplesTest {

    @Test
    void sampleIsValidForTheSchemaAndTheLoader() {
        String sample = PolicySchema.sample();

        assertThat(PolicySchema.validate(sample)).isEmpty();
        LoadedPolicy loaded = PolicyLoader.loadString("sample-policy.yaml", sample);
        assertThat(loaded.errors()).isEmpty();
        assertThat(loaded.diagnostics()).as("the sample uses every decap type, which only warns")
                .allSatisfy(d -> assertThat(d.field()).isEqualTo("decap"));
        assertThat(loaded.model().policies().get("shop").rules()).hasSize(4);
    }

    /** Each case replaces one line of the valid sample with a mistake. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            sources: any                | sorces: any
            platform: nftables          | platform: junos
            role: switch                | role: spine
            decap: vxlan-decap-only     | decap: vxlan
            destination: 443            | destination: 70000
            destination: 443            | destination: https-alt
            destination: 443            | destination: [all, 443]
            destination: 443            | destination: '443,all'
            sources: any                | sources: [any, web]
            services: any               | services: [web-tls, 'web tls']
            name: web-in                | name: 'web in'
            name: web-in                | name: 'web-in!'
            name: web-in                | name: ipv4-all-default
            name: web-in                | name: "web\\nin"
            redirect: fw                | redirect-to: fw
            description: anyone to the shop | description: "anyone\\nto the shop"
            priority: 100               | priority: -1
            active-timeout-ms: 1800000  | active-timeout-ms: 10
            truncate: false             | truncate: sometimes
            protocol: 47                | protocol: 256
            icmp-type: nd-neighbor-solicit | icmp-type: nd-neighbour-solicit
            icmp-type: nd-neighbor-solicit | icmp-type: 256
            icmp-code: frag-needed      | icmp-code: no-route
            icmp-type: destination-unreachable | icmp-type: nd-router-advert
            """)
    void mistakeFailsTheSchemaAndTheLoader(String valid, String mistake) {
        String sample = PolicySchema.sample();
        assertThat(sample).contains(valid);
        String yaml = sample.replaceFirst(Pattern.quote(valid), Matcher.quoteReplacement(mistake));

        assertThat(PolicySchema.validate(yaml)).as("schema errors").isNotEmpty();
        assertThat(PolicyLoader.loadString("sample-policy.yaml", yaml).errors()).as("loader errors").isNotEmpty();
    }

    @Test
    void dynamicGroupsOfEveryKindPassTheSchemaAndTheLoader() {
        String yaml = dev.septum.model.load.GroupSourcesTest.ALL_KINDS;

        assertThat(PolicySchema.validate(yaml)).isEmpty();
        assertThat(PolicyLoader.loadString("dynamic.yaml", yaml).diagnostics()).isEmpty();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            kind: dns                    | kind: dnss
            min-refresh: 10s             | min-refresh: 10 s
            auth-env: SEPTUM_NETBOX_TOKEN | auth-env: HOME
            url: http://127.0.0.1:8000/  | url: ftp://127.0.0.1/
            as-hosts: true               | as-hosts: 'yes'
            items: /results              | items: results
            hostname: laptop-*           | hostname: 'laptop;rm'
            """)
    void aSourceMistakeFailsTheSchemaAndTheLoader(String valid, String mistake) {
        String source = dev.septum.model.load.GroupSourcesTest.ALL_KINDS;
        assertThat(source).contains(valid);
        String yaml = source.replace(valid, mistake);

        assertThat(PolicySchema.validate(yaml)).as("schema errors").isNotEmpty();
        assertThat(PolicyLoader.loadString("dynamic.yaml", yaml).errors()).as("loader errors").isNotEmpty();
    }

    @Test
    void icmpTypeOnAProtocolWithoutTypesFailsTheSchemaAndTheLoader() {
        assertSchemaAndLoaderRefuse(PolicySchema.sample().replace("      - protocol: 47\n", "      - protocol: 47\n        icmp-type: 8\n"));
    }

    @Test
    void icmpCodeWithoutTypeFailsTheSchemaAndTheLoader() {
        assertSchemaAndLoaderRefuse(PolicySchema.sample().replace("        icmp-type: destination-unreachable\n", ""));
    }

    @Test
    void redirectActionWithoutRedirectFailsTheSchemaAndTheLoader() {
        assertSchemaAndLoaderRefuse(PolicySchema.sample().replace("        redirect: fw\n", ""));
    }

    @Test
    void redirectObjectOnAForwardRuleFailsTheSchemaAndTheLoader() {
        assertSchemaAndLoaderRefuse(PolicySchema.sample().replace("        action: forward\n        monitor: tap",
                "        action: forward\n        redirect: fw\n        monitor: tap"));
    }

    @Test
    void serviceWithProtocolAndEntriesFailsTheSchemaAndTheLoader() {
        assertSchemaAndLoaderRefuse(PolicySchema.sample().replace("  - name: dns\n    entries:", "  - name: dns\n    protocol: udp\n    entries:"));
    }

    private static void assertSchemaAndLoaderRefuse(String yaml) {
        assertThat(yaml).as("the edit applies to the sample").isNotEqualTo(PolicySchema.sample());
        assertThat(PolicySchema.validate(yaml)).as("schema errors").isNotEmpty();
        assertThat(PolicyLoader.loadString("sample-policy.yaml", yaml).errors()).as("loader errors").isNotEmpty();
    }

    /** The name pattern and length in the schema accept exactly the names NameRules accepts. */
    @ParameterizedTest
    @ValueSource(strings = {"web", "web_1.2-3", "9lives", "ALL", "a b", "x!", "-x", ".x", "_x", "a\nb", "web\n",
            "tab\tx", "ünïcode", "a/b", "x;y", "", "g123456789012345678901234567890123456789012345678901234567890123",
            "g1234567890123456789012345678901234567890123456789012345678901234"})
    void nameRulesAndSchemaAgree(String name) {
        String yaml = "groups:\n  - name: \"" + name.replace("\n", "\\n").replace("\t", "\\t") + "\"\n";

        boolean schemaAccepts = PolicySchema.validate(yaml).isEmpty();

        assertThat(schemaAccepts).as("schema accepts '%s'", name).isEqualTo(NameRules.nameProblem(name).isEmpty());
    }
}
