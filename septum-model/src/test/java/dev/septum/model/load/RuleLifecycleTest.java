package dev.septum.model.load;

import static dev.septum.model.TestPolicies.errors;
import static dev.septum.model.TestPolicies.loadWithWorld;
import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.model.Rule;
import dev.septum.model.RuleLifecycle;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A rule's expires, owner and ticket: read, and refused at their own line and column with the fix. */
class RuleLifecycleTest {
    private static String policy(String fields) {
        return """
                policies:
                  - name: p
                    domain: campus
                    rules:
                      - name: temp
                        destinations: [web]
                        action: forward
                """ + fields;
    }

    @Test
    void anExceptionCarriesItsExpiryOwnerAndTicket() {
        LoadedPolicy loaded = loadWithWorld(policy("        expires: 2027-01-31\n        owner: ops@example.com\n        ticket: CHG-1234\n"));

        assertThat(errors(loaded)).isEmpty();
        Rule rule = loaded.model().policies().values().iterator().next().rules().getFirst();
        assertThat(rule.lifecycle()).isEqualTo(new RuleLifecycle(Optional.of(LocalDate.of(2027, 1, 31)), "ops@example.com", "CHG-1234", false));
    }

    @Test
    void aRuleWithoutThemHasNone() {
        LoadedPolicy loaded = loadWithWorld(policy(""));

        assertThat(loaded.model().policies().values().iterator().next().rules().getFirst().lifecycle()).isEqualTo(RuleLifecycle.NONE);
    }

    @Test
    void aBadDateOwnerOrTicketIsAnErrorAtItsValue() {
        LoadedPolicy loaded = loadWithWorld(policy("        expires: 31.01.2027\n        owner: \"ops;rm\"\n        ticket: \"#1\"\n"));

        int line = (int) (dev.septum.model.TestPolicies.WORLD + policy("")).lines().count() + 1;
        assertThat(errors(loaded)).containsExactly(
                "p.yaml:" + line + ":18: error: rule 'temp' in policy 'p', field 'expires': '31.01.2027' is not a date. "
                        + "Fix: write the last day the rule is meant to be in force as YYYY-MM-DD, e.g. 2027-01-31",
                "p.yaml:" + (line + 1) + ":16: error: rule 'temp' in policy 'p', field 'owner': 'ops;rm' has characters not allowed in an owner. "
                        + "Fix: name a person, team or mail address, e.g. 'owner: net-team@example.com'",
                "p.yaml:" + (line + 2) + ":17: error: rule 'temp' in policy 'p', field 'ticket': '#1' has characters not allowed in a ticket. "
                        + "Fix: give the ticket's id, e.g. 'ticket: CHG-1234'");
    }

    @Test
    void anExpiryWithoutAnOwnerIsRefused() {
        LoadedPolicy loaded = loadWithWorld(policy("        expires: 2027-01-31\n"));

        assertThat(errors(loaded)).singleElement().asString().contains("field 'owner': is missing: a rule that expires needs someone who answers for it");
    }

    @Test
    void aRuleOrAWholePolicyIsStaged() {
        LoadedPolicy loaded = loadWithWorld("""
                policies:
                  - name: p
                    domain: campus
                    mode: staged
                    rules:
                      - {name: a, destinations: [web], action: drop}
                      - {name: b, destinations: [web], action: drop, mode: enforced}
                  - name: q
                    domain: campus
                    rules:
                      - {name: c, destinations: [db], action: drop, mode: staged}
                      - {name: d, destinations: [db], action: drop}
                """);

        assertThat(errors(loaded)).isEmpty();
        assertThat(loaded.model().policies().values().stream().flatMap(p -> p.rules().stream())
                .map(r -> r.name() + "=" + r.lifecycle().staged()).toList()).containsExactly("a=true", "b=false", "c=true", "d=false");
    }

    @Test
    void anUnknownModeIsRefusedWithTheTwoModes() {
        LoadedPolicy loaded = loadWithWorld(policy("        mode: audit\n"));

        assertThat(errors(loaded)).singleElement().asString().contains("field 'mode': 'audit' is not one of enforced, staged")
                .contains("write 'mode: staged'");
    }
}
