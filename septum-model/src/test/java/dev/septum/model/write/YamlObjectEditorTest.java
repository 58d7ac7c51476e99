package dev.septum.model.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.septum.model.Action;
import dev.septum.model.DecapType;
import dev.septum.model.Direction;
import dev.septum.model.Group;
import dev.septum.model.Ref;
import dev.septum.model.Rule;
import dev.septum.model.SourceLocation;
import dev.septum.model.write.YamlObjectEditor.Section;
import inet.ipaddr.IPAddressString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class YamlObjectEditorTest {
    private static final String GROUPS = """
            # lab groups
            groups:
              - name: web   # the web tier
                prefixes: [10.0.0.1/32, 10.0.0.2/32]

              # database tier
              - name: db
                prefixes:
                  - 10.0.1.0/24
                categories: {tier: db}
            services: []
            """;

    private static Map<String, Object> group(String name, String... prefixes) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("name", name);
        g.put("prefixes", List.of(prefixes));
        return g;
    }

    @Test
    void replacesOnlyTheObjectsLinesKeepingCommentsElsewhere() {
        String out = YamlObjectEditor.of(GROUPS).replace(Section.top("groups"), "web", group("web", "10.0.0.3/32"));
        assertEquals("""
                # lab groups
                groups:
                  - name: web
                    prefixes: [10.0.0.3/32]

                  # database tier
                  - name: db
                    prefixes:
                      - 10.0.1.0/24
                    categories: {tier: db}
                services: []
                """, out);
    }

    @Test
    void replacesTheLastObjectOfASectionWithBlockLists() {
        String out = YamlObjectEditor.of(GROUPS).replace(Section.top("groups"), "db", group("db", "10.0.2.0/24"));
        assertEquals(GROUPS.replace("""
                  - name: db
                    prefixes:
                      - 10.0.1.0/24
                    categories: {tier: db}
                """, """
                  - name: db
                    prefixes: [10.0.2.0/24]
                """), out);
    }

    @Test
    void insertsAtTheEndOrBeforeANamedObject() {
        YamlObjectEditor editor = YamlObjectEditor.of(GROUPS);
        String atEnd = editor.insert(Section.top("groups"), group("app", "10.0.3.0/24"), Optional.empty());
        assertEquals(GROUPS.replace("services: []", "  - name: app\n    prefixes: [10.0.3.0/24]\nservices: []"), atEnd);
        String before = editor.insert(Section.top("groups"), group("app", "10.0.3.0/24"), Optional.of("db"));
        // above the comment on db, which belongs to db
        assertEquals(GROUPS.replace("  # database tier\n", "  - name: app\n    prefixes: [10.0.3.0/24]\n  # database tier\n"), before);
    }

    @Test
    void deletesAnObjectAndLeavesAnEmptyListWhenItWasTheLast() {
        YamlObjectEditor editor = YamlObjectEditor.of(GROUPS);
        String withoutDb = editor.delete(Section.top("groups"), "db");
        assertEquals(List.of("web"), YamlObjectEditor.of(withoutDb).list(Section.top("groups")).stream()
                .map(f -> f.value().get("name")).toList());
        String none = YamlObjectEditor.of(withoutDb).delete(Section.top("groups"), "web");
        assertEquals("# lab groups\ngroups: []\nservices: []\n", none.replace("\n\n", "\n").replace("  # database tier\n", ""));
    }

    @Test
    void rewritesFlowSectionsInBlockStyleAndAddsMissingSections() {
        YamlObjectEditor editor = YamlObjectEditor.of(GROUPS);
        Map<String, Object> ssh = new LinkedHashMap<>();
        ssh.put("name", "SSH");
        ssh.put("protocol", "tcp");
        ssh.put("destination", 22);
        String services = editor.insert(Section.top("services"), ssh, Optional.empty());
        assertEquals(GROUPS.replace("services: []\n", "services:\n  - name: SSH\n    protocol: tcp\n    destination: 22\n"), services);
        Map<String, Object> redirect = new LinkedHashMap<>();
        redirect.put("name", "fw");
        redirect.put("next-hops", List.of("192.0.2.1"));
        String redirects = editor.insert(Section.top("redirects"), redirect, Optional.empty());
        assertEquals(GROUPS + "redirects:\n  - name: fw\n    next-hops: [192.0.2.1]\n", redirects);
        assertEquals("groups:\n  - name: a\n    prefixes: [192.0.2.0/24]\n",
                YamlObjectEditor.of("").insert(Section.top("groups"), group("a", "192.0.2.0/24"), Optional.empty()));
    }

    @Test
    void editsTheRulesOfOnePolicyInTheSeedFile() throws IOException {
        String seed = Files.readString(Path.of("../examples/seed-lab/policies.yaml"));
        Section rules = Section.rulesOf("vrf_all_home");
        YamlObjectEditor editor = YamlObjectEditor.of(seed);
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("name", "ssh_from_mgmt");
        rule.put("sources", List.of("linuxmgmt10"));
        rule.put("destinations", List.of("appserver1"));
        rule.put("services", List.of("SSH"));
        rule.put("direction", "bi");
        rule.put("action", "forward");
        String out = editor.insert(rules, rule, Optional.of("drop_all_else_web-app"));
        assertEquals(seed.replace("      - name: drop_all_else_web-app\n", """
                      - name: ssh_from_mgmt
                        sources: [linuxmgmt10]
                        destinations: [appserver1]
                        services: [SSH]
                        direction: bi
                        action: forward
                      - name: drop_all_else_web-app
                """), out);
        // the same rule as a model object (the Policy Builder's way) is written the same way
        SourceLocation at = SourceLocation.of("builder");
        Rule model = new Rule("ssh_from_mgmt", "", List.of(new Ref("linuxmgmt10", at)), List.of(new Ref("appserver1", at)),
                List.of(new Ref("SSH", at)), Direction.BI, DecapType.ALLOW_ALL, new Action.Forward(), Optional.empty(), true, at);
        assertEquals(out, editor.insert(rules, model, Optional.of("drop_all_else_web-app")));
        List<Object> names = YamlObjectEditor.of(out).list(rules).stream().map(f -> f.value().get("name")).toList();
        assertEquals("ssh_from_mgmt", names.get(names.size() - 2));
        assertEquals(seed, YamlObjectEditor.of(out).delete(rules, "ssh_from_mgmt"));
        assertEquals(Optional.empty(), editor.find(Section.rulesOf("no_such_policy"), "x"));
    }

    @Test
    void namesThatLookLikeYamlSyntaxAreQuotedNotInterpreted() {
        String out = YamlObjectEditor.of("groups: []\n").insert(Section.top("groups"), group("a: b\n- name: evil", "*"), Optional.empty());
        var found = YamlObjectEditor.of(out).list(Section.top("groups"));
        assertEquals(1, found.size());
        assertEquals("a: b\n- name: evil", found.getFirst().value().get("name"));
        assertEquals(List.of("*"), found.getFirst().value().get("prefixes"));
    }

    @Test
    void putsAModelObjectInPlaceOfItsNamesakeOrAtTheEndOfItsSection() {
        YamlObjectEditor editor = YamlObjectEditor.of(GROUPS);
        String replaced = editor.put(Section.top("groups"), modelGroup("web", "10.0.0.3"));
        assertEquals(GROUPS.replace("  - name: web   # the web tier\n    prefixes: [10.0.0.1/32, 10.0.0.2/32]\n",
                "  - name: web\n    prefixes: [10.0.0.3]\n"), replaced);
        String added = editor.put(Section.top("groups"), modelGroup("app", "10.0.3.0/24"));
        assertEquals(GROUPS.replace("services: []", "  - name: app\n    prefixes: [10.0.3.0/24]\nservices: []"), added);
        assertThrows(IllegalArgumentException.class, () -> editor.put(Section.top("services"), modelGroup("x", "10.0.0.1")));
    }

    @Test
    void addsAFieldOnALineOfItsOwnAfterTheFieldsItFollows() {
        String policies = """
                policies:
                  - name: p   # the first
                    description: web tier
                    # where it applies
                    domain: lab
                    rules: []
                  - name: q
                    domain: lab
                  - {name: r, domain: lab}
                """;
        YamlObjectEditor editor = YamlObjectEditor.of(policies);
        Section top = Section.top("policies");
        List<String> after = List.of("name", "description");
        assertEquals(policies.replace("description: web tier\n", "description: web tier\n    id: 257\n"),
                editor.addField(top, "p", "id", 257, after));
        assertEquals(policies.replace("  - name: q\n", "  - name: q\n    id: 258\n"), editor.addField(top, "q", "id", 258, after));
        assertEquals(policies.replace("  - {name: r, domain: lab}\n", "  - name: r\n    id: 259\n    domain: lab\n"),
                editor.addField(top, "r", "id", 259, after));
        assertThrows(YamlObjectEditor.NotEditable.class, () -> YamlObjectEditor.of(editor.addField(top, "q", "id", 258, after))
                .addField(top, "q", "id", 300, after));
    }

    private static Group modelGroup(String name, String prefix) {
        return new Group(name, List.of(new IPAddressString(prefix).getAddress()), Map.of(), SourceLocation.of("test"));
    }

    @Test
    void refusesTextThatIsNotYaml() {
        var e = assertThrows(YamlObjectEditor.NotEditable.class, () -> YamlObjectEditor.of("groups: [\n"));
        assertEquals(true, e.getMessage().startsWith("the file is not valid YAML"), e.getMessage());
    }
}
