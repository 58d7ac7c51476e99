package dev.septum.model.validate;

import static dev.septum.model.TestPolicies.WORLD;
import static dev.septum.model.TestPolicies.at;
import static dev.septum.model.TestPolicies.errors;
import static dev.septum.model.TestPolicies.loadWithWorld;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * EOS gets one traffic-policy per domain and VRF holding the rules of every policy bound there; a bi
 * rule 'x' also renders a match 'x-reverse'. Two rules that render the same match name would merge.
 */
class MatchNamesTest {

    @Test
    void biRuleAndARuleNamedLikeItsReverseMatchClashAcrossPolicies() {
        String policies = """
                policies:
                  - name: p1
                    domain: campus
                    rules:
                      - name: x
                        direction: bi
                        action: forward
                  - name: p2
                    domain: campus
                    rules:
                      - name: x-reverse
                        action: drop
                """;
        String text = WORLD + policies;

        assertThat(errors(loadWithWorld(policies))).containsExactly(at(text, "x-reverse")
                + ": error: rule 'x-reverse' in policy 'p2', field 'name': becomes EOS match 'x-reverse', which rule 'x' at "
                + at(text, "x\n") + " in the same domain and VRF also produces. Fix: rename one of the rules");
    }

    @Test
    void clashInsideOnePolicyIsFoundToo() {
        String policies = """
                policies:
                  - name: p
                    domain: campus
                    rules:
                      - name: x-reverse
                        action: drop
                      - name: x
                        direction: bi
                        action: forward
                """;

        assertThat(errors(loadWithWorld(policies))).singleElement().asString()
                .startsWith(at(WORLD + policies, "x\n") + ": error: rule 'x' in policy 'p', field 'name': "
                        + "becomes EOS match 'x-reverse', which rule 'x-reverse'");
    }

    @Test
    void sameRuleNameInTwoPoliciesOfOneVrfClashes() {
        String policies = """
                policies:
                  - name: p1
                    domain: campus
                    rules:
                      - name: ssh
                        action: forward
                  - name: p2
                    domain: campus
                    vrf: ALL
                    rules:
                      - name: ssh
                        action: drop
                """;

        assertThat(errors(loadWithWorld(policies))).singleElement().asString()
                .contains("rule 'ssh' in policy 'p2', field 'name': becomes EOS match 'ssh'");
    }

    @Test
    void sameNamesInDifferentVrfsDoNotClash() {
        String policies = """
                policies:
                  - name: p1
                    domain: campus
                    rules:
                      - name: x
                        direction: bi
                        action: forward
                  - name: p2
                    domain: campus
                    vrf: blue
                    rules:
                      - name: x-reverse
                        action: drop
                      - name: x
                        action: drop
                """;

        assertThat(errors(loadWithWorld(policies))).isEmpty();
    }
}
