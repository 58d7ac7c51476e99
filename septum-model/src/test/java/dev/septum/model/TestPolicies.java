package dev.septum.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.model.load.LoadedPolicy;
import dev.septum.model.load.PolicyLoader;
import dev.septum.model.validate.Diagnostic;
import dev.septum.model.validate.Severity;
import java.util.List;

/** A small, consistent policy world and helpers to find diagnostics by their text. */
public final class TestPolicies {
    public static final String SOURCE = "p.yaml";

    /** Loads without any diagnostic (checked by a test); tests append a 'policies:' section. */
    public static final String WORLD = """
            domains:
              - name: campus
                devices: [leaf1, leaf2]
                vrfs: [ALL, blue]
            devices:
              - name: leaf1
                platform: eos
              - name: leaf2
                platform: eos
              - name: mon1
                platform: nftables
                role: monitor
                loopback: 10.255.0.9
            groups:
              - name: web
                prefixes: [10.0.1.0/24, 10.0.2.5]
              - name: db
                prefixes: [10.0.3.0/24]
              - name: web6
                prefixes: [2001:db8:1::/64]
              - name: dual
                prefixes: [10.0.4.0/24, 2001:db8:4::/64]
            services:
              - name: web-tls
                protocol: tcp
                destination: 443
              - name: dns
                entries:
                  - protocol: udp
                    destination: domain
                  - protocol: tcp
                    destination: domain
            redirects:
              - name: fw
                next-hops: [192.0.2.1, '2001:db8::1']
            monitors:
              - name: tap
                tunnel-destination: 10.255.0.9
                nodes: [mon1]
            """;

    private TestPolicies() {
    }

    public static LoadedPolicy load(String yaml) {
        return PolicyLoader.loadString(SOURCE, yaml);
    }

    /** The world plus the given text (usually a 'policies:' section). */
    public static LoadedPolicy loadWithWorld(String yaml) {
        return load(WORLD + yaml);
    }

    public static List<String> errors(LoadedPolicy loaded) {
        return loaded.errors().stream().map(Diagnostic::format).toList();
    }

    public static List<String> warnings(LoadedPolicy loaded) {
        return loaded.diagnostics().stream().filter(d -> d.severity() == Severity.WARNING)
                .map(Diagnostic::format).toList();
    }

    /** The one error whose problem contains the fragment; fails when there is none or several. */
    public static Diagnostic error(LoadedPolicy loaded, String problemFragment) {
        List<Diagnostic> matching = loaded.errors().stream()
                .filter(d -> d.problem().contains(problemFragment)).toList();
        assertThat(matching).as("errors containing '%s' among %s", problemFragment, errors(loaded)).hasSize(1);
        return matching.getFirst();
    }

    /**
     * Where {@code needle} first occurs in {@code text}, as the loader writes it
     * ({@code p.yaml:line:column}, both 1-based). Computed from the text, not by the loader.
     */
    public static String at(String text, String needle) {
        return atAfter(text, "", needle);
    }

    /** Like {@link #at(String, String)}, for the first {@code needle} after the first {@code anchor}. */
    public static String atAfter(String text, String anchor, String needle) {
        int anchorIndex = text.indexOf(anchor);
        assertThat(anchorIndex).as("'%s' occurs in the test YAML", anchor).isNotNegative();
        int index = text.indexOf(needle, anchorIndex);
        assertThat(index).as("'%s' occurs in the test YAML", needle).isNotNegative();
        String before = text.substring(0, index);
        int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
        int column = index - (before.lastIndexOf('\n') + 1) + 1;
        return SOURCE + ":" + line + ":" + column;
    }
}
