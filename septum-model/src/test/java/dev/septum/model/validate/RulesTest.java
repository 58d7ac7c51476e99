package dev.septum.model.validate;

import static dev.septum.model.TestPolicies.WORLD;
import static dev.septum.model.TestPolicies.at;
import static dev.septum.model.TestPolicies.atAfter;
import static dev.septum.model.TestPolicies.error;
import static dev.septum.model.TestPolicies.errors;
import static dev.septum.model.TestPolicies.loadWithWorld;
import static dev.septum.model.TestPolicies.warnings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.model.Action;
import dev.septum.model.DecapType;
import dev.septum.model.Direction;
import dev.septum.model.Ref;
import dev.septum.model.Rule;
import dev.septum.model.load.LoadedPolicy;
import org.junit.jupiter.api.Test;

/** Rules: actions, 'any', address families, and match names EOS must be able to tell apart. */
class RulesTest {

    /** One policy 'p' in campus/ALL holding the given rule lines (indented as list items of 'rules:'). */
    private static String policyWithRules(String rules) {
        return "policies:\n  - name: p\n    domain: campus\n    rules:\n" + rules.indent(6);
    }

    @Test
    void fullRuleIsReadWithEveryField() {
        LoadedPolicy loaded = loadWithWorld(policyWithRules("""
                - name: dns-out
                  description: clients to resolvers
                  sources: [web, db]
                  destinations: any
                  services: [dns]
                  direction: bi
                  decap: no-vxlan-decap
                  action: forward
                  monitor: tap
                  enabled: false
                """));

        assertThat(errors(loaded)).isEmpty();
        Rule r = loaded.model().policies().get("p").rules().getFirst();
        assertThat(r.sources()).extracting(Ref::name).containsExactly("web", "db");
        assertThat(r.destinations()).as("'any' is stored as no restriction").isEmpty();
        assertThat(r.services()).extracting(Ref::name).containsExactly("dns");
        assertThat(r.direction()).isEqualTo(Direction.BI);
        assertThat(r.decap()).isEqualTo(DecapType.NO_VXLAN_DECAP);
        assertThat(r.action()).isInstanceOf(Action.Forward.class);
        assertThat(r.monitor()).map(Ref::name).contains("tap");
        assertThat(r.enabled()).isFalse();
    }

    @Test
    void redirectActionWithoutRedirectObjectIsRefused() {
        String policies = policyWithRules("- name: to-fw\n  action: redirect\n");

        assertThat(errors(loadWithWorld(policies))).containsExactly(at(WORLD + policies, "redirect\n")
                + ": error: rule 'to-fw' in policy 'p', field 'redirect': action is redirect but no redirect object "
                + "is named. Fix: add 'redirect: <name of a redirect object>'");
    }

    @Test
    void redirectObjectWithAnotherActionIsRefused() {
        Diagnostic d = error(loadWithWorld(policyWithRules("- name: r\n  action: drop\n  redirect: fw\n")),
                "names a redirect object but the action is drop");

        assertThat(d.fix()).isEqualTo("set 'action: redirect', or remove 'redirect'");
    }

    @Test
    void redirectActionPointsAtTheRedirectObject() {
        String policies = policyWithRules("- name: r\n  action: redirect\n  redirect: fw\n");

        LoadedPolicy loaded = loadWithWorld(policies);

        assertThat(errors(loaded)).isEmpty();
        assertThat(loaded.model().policies().get("p").rules().getFirst().action())
                .isInstanceOfSatisfying(Action.Redirect.class, redirect -> {
                    assertThat(redirect.target().name()).isEqualTo("fw");
                    assertThat(redirect.target().at()).hasToString(atAfter(WORLD + policies, "policies:", "fw\n"));
                });
    }

    @Test
    void bidirectionalRedirectIsOnlyAWarning() {
        LoadedPolicy loaded = loadWithWorld(policyWithRules("- name: r\n  direction: bi\n  action: redirect\n  redirect: fw\n"));

        assertThat(errors(loaded)).isEmpty();
        assertThat(warnings(loaded)).singleElement().asString().contains("redirects both directions statelessly");
    }

    @Test
    void anyMixedWithNamesIsRefused() {
        String policies = policyWithRules("- name: r\n  destinations: [any, db]\n  action: forward\n");

        assertThat(errors(loadWithWorld(policies))).containsExactly(at(WORLD + policies, "[any, db]")
                + ": error: rule 'r' in policy 'p', field 'destinations': mixes 'any' with names. "
                + "Fix: write either 'any' or the list of names");
    }

    @Test
    void ipv4GroupTowardsIpv6GroupCanNeverMatch() {
        String policies = policyWithRules("- name: v4-to-v6\n  sources: [web]\n  destinations: [web6]\n  action: forward\n");

        assertThat(errors(loadWithWorld(policies))).containsExactly(at(WORLD + policies, "v4-to-v6")
                + ": error: rule 'v4-to-v6' in policy 'p', field 'sources': sources and destinations share no address "
                + "family (e.g. IPv4 groups towards IPv6 groups), so the rule can never match. "
                + "Fix: use groups with members of the same family on both sides");
    }

    @Test
    void rulesWithACommonFamilyOrAnyOnOneSideCanMatch() {
        LoadedPolicy loaded = loadWithWorld(policyWithRules("""
                - name: v4-to-dual
                  sources: [web]
                  destinations: [dual]
                  action: forward
                - name: v6-to-dual
                  sources: web6
                  destinations: dual
                  action: forward
                - name: any-to-v6
                  destinations: [web6]
                  action: drop
                """));

        assertThat(loaded.diagnostics()).isEmpty();
    }

    @Test
    void ruleMayNotTakeTheNameOfAnEosBuiltInMatch() {
        String policies = policyWithRules("- name: ipv4-all-default\n  action: drop\n");

        assertThat(errors(loadWithWorld(policies))).containsExactly(at(WORLD + policies, "ipv4-all-default")
                + ": error: rule 'ipv4-all-default' in policy 'p', field 'name': is the name of an EOS built-in match. "
                + "Fix: choose another name");
    }

    @Test
    void sameRuleNameTwiceInOnePolicyIsReportedOnce() {
        // bi, so the reverse match names clash too; that must not add a second error
        String policies = policyWithRules("""
                - name: r  # first
                  action: forward
                - name: r  # second
                  direction: bi
                  action: drop
                """);

        LoadedPolicy loaded = loadWithWorld(policies);

        assertThat(errors(loaded)).containsExactly(at(WORLD + policies, "r  # second")
                + ": error: rule 'r' in policy 'p', field 'name': is used twice in the policy (first at "
                + at(WORLD + policies, "r  # first") + "). Fix: give each rule its own name");
    }

    @Test
    void redirectWithoutANextHopOfARuleFamilySkipsThatFamilyOrFailsWhenNoneIsLeft() {
        String base = """
                domains: [{name: d, vrfs: [ALL]}]
                groups: [{name: v6, prefixes: ['2001:db8::/64']}]
                redirects: [{name: fw4, next-hops: [192.0.2.1]}]
                policies:
                  - name: p
                    domain: d
                    rules:
                """;

        LoadedPolicy anyRule = dev.septum.model.load.PolicyLoader.loadString("p.yaml",
                base + "      - {name: all, action: redirect, redirect: fw4}\n");
        LoadedPolicy v6Rule = dev.septum.model.load.PolicyLoader.loadString("p.yaml",
                base + "      - {name: six, destinations: [v6], action: redirect, redirect: fw4}\n");

        assertThat(errors(anyRule)).isEmpty();
        assertThat(warnings(anyRule)).singleElement().asString()
                .contains("has no ipv6 next hop, so ipv6 traffic skips this rule");
        assertThat(errors(v6Rule)).singleElement().asString()
                .contains("rule 'six' in policy 'p', field 'redirect': matches ipv6 traffic but redirect 'fw4' has no ipv6 next hop");
    }

    @Test
    void aDecapTypeOtherThanAllowAllIsAWarningUntilItIsRendered() {
        LoadedPolicy loaded = dev.septum.model.load.PolicyLoader.loadString("p.yaml", """
                domains: [{name: d, vrfs: [ALL]}]
                policies:
                  - name: p
                    domain: d
                    rules: [{name: r, decap: no-vxlan-decap, action: drop}]
                """);

        assertThat(errors(loaded)).isEmpty();
        assertThat(warnings(loaded)).singleElement().asString().contains("field 'decap': decap type no-vxlan-decap is kept");
    }
}
