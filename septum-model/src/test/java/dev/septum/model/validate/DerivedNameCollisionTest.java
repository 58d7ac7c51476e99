package dev.septum.model.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.model.load.PolicyLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 19, defect 1: a derived name that equals a user's name is refused, never merged silently. */
class DerivedNameCollisionTest {
    private static final String BASE = """
            domains: [{name: d, devices: [sw], vrfs: [ALL]}]
            devices: [{name: sw, platform: eos}]
            """;

    private static List<String> errors(String yaml) {
        return PolicyLoader.loadString("p.yaml", BASE + yaml).errors().stream().map(Diagnostic::format).toList();
    }

    @Test
    void aDualStackGroupsIpv6SetCollidingWithAUserGroupIsAnError() {
        assertThat(errors("""
                groups:
                  - {name: g, prefixes: [192.0.2.0/24, 2001:db8::/64]}
                  - {name: g-ipv6, prefixes: [2001:db8:1::/64]}
                  - {name: h, prefixes: [198.51.100.0/24, 2001:db8:2::/64]}
                policies:
                  - name: p
                    domain: d
                    rules:
                      - {name: a, sources: [g], destinations: [h], action: drop}
                      - {name: b, sources: [g-ipv6], destinations: [h], action: drop}
                """)).anySatisfy(e -> assertThat(e).contains("group 'g-ipv6', field 'name': field-set 'g-ipv6' would hold both")
                .contains("rename group 'g-ipv6'"));
    }

    @Test
    void aUserServiceNamedLikeAReverseSetIsAnError() {
        assertThat(errors("""
                services:
                  - {name: WEB, protocol: tcp, destination: 80}
                  - {name: WEB-reverse, protocol: tcp, destination: 8080}
                policies:
                  - name: p
                    domain: d
                    rules:
                      - {name: a, services: [WEB], direction: bi, action: forward}
                      - {name: b, services: [WEB-reverse], action: forward}
                """)).anySatisfy(e -> assertThat(e).contains("service 'WEB-reverse', field 'name': field-set 'WEB-reverse'"));
    }

    @Test
    void aDualStackRuleAndARuleNamedLikeItsIpv6MatchIsAnError() {
        assertThat(errors("""
                groups:
                  - {name: g, prefixes: [192.0.2.0/24, 2001:db8::/64]}
                policies:
                  - name: p
                    domain: d
                    rules:
                      - {name: x, sources: [g], action: drop}
                      - {name: x-ipv6, sources: [g], action: drop}
                """)).anySatisfy(e -> assertThat(e).contains("rule 'x-ipv6' in policy 'p', field 'name': becomes EOS match 'x-ipv6'"));
    }

    @Test
    void distinctNamesStayValid() {
        assertThat(errors("""
                groups:
                  - {name: g, prefixes: [192.0.2.0/24, 2001:db8::/64]}
                services: [{name: WEB, protocol: tcp, destination: 80}]
                policies:
                  - name: p
                    domain: d
                    rules:
                      - {name: x, sources: [g], services: [WEB], direction: bi, action: forward}
                """)).isEmpty();
    }
}
