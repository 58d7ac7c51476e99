package dev.septum.model.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.model.PolicyNumbers;
import dev.septum.model.load.PolicyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policy numbers are pinned into the YAML once and never move when other policies come and go. */
class PolicyIdPinsTest {
    private static final String WEB = """
            # the web tier
            policies:
              - name: web   # first policy
                description: web servers
                domain: dc
                rules: []
            """;
    private static final String ALPHA = """
            policies:
              - name: alpha
                domain: branch
            """;

    @TempDir
    Path tmp;

    /** The numbers the planner gives the policies of a directory holding these files. */
    private Map<String, Integer> numbers(Map<String, String> files) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "version");
        for (var file : files.entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue());
        }
        return PolicyNumbers.assign(PolicyLoader.loadDirectory(dir).model());
    }

    @Test
    void withoutPinsAPolicyInAFileThatSortsFirstRenumbersTheOthers() throws IOException {
        // the defect: numbers follow load order, so adding a.yaml moves web from 256 to 257
        assertThat(numbers(Map.of("policies.yaml", WEB))).containsEntry("web", 256);
        assertThat(numbers(Map.of("policies.yaml", WEB, "a.yaml", ALPHA))).containsEntry("web", 257).containsEntry("alpha", 256);
    }

    @Test
    void aPolicyKeepsItsNumberFromThePreviousVersionAndANewOneGetsTheLowestFree() throws IOException {
        Map<String, String> previous = Map.of("policies.yaml", WEB);
        SortedMap<String, String> pinned = PolicyIdPins.pin(previous, Map.of("policies.yaml", WEB, "a.yaml", ALPHA));
        // only the id lines are added, after the name and description; comments and everything else stay
        assertThat(pinned.get("policies.yaml")).isEqualTo(WEB.replace("description: web servers\n", "description: web servers\n    id: 256\n"));
        assertThat(pinned.get("a.yaml")).isEqualTo(ALPHA.replace("- name: alpha\n", "- name: alpha\n    id: 257\n"));
        assertThat(numbers(pinned)).containsEntry("web", 256).containsEntry("alpha", 257);
        // pinned once, stable after: pinning again changes nothing, and so does a new policy before them
        assertThat(PolicyIdPins.pin(pinned, pinned)).isEqualTo(pinned);
        Map<String, String> more = new TreeMap<>(pinned);
        more.put("0.yaml", ALPHA.replace("alpha", "zero"));
        assertThat(numbers(PolicyIdPins.pin(pinned, more))).containsEntry("web", 256).containsEntry("alpha", 257)
                .containsEntry("zero", 258);
    }

    @Test
    void explicitIdsStayAndTakeTheirNumberFromOthers() throws IOException {
        Map<String, String> previous = Map.of("policies.yaml", WEB);
        String alphaTakes256 = ALPHA.replace("    domain: branch\n", "    id: 256\n    domain: branch\n");
        SortedMap<String, String> pinned = PolicyIdPins.pin(previous, Map.of("policies.yaml", WEB, "a.yaml", alphaTakes256));
        assertThat(pinned.get("a.yaml")).isEqualTo(alphaTakes256);
        assertThat(numbers(pinned)).containsEntry("alpha", 256).containsEntry("web", 257);
    }

    @Test
    void filesThatAreNotPoliciesOrNotYamlAreLeftForValidation() throws IOException {
        Map<String, String> files = Map.of("lab.yaml", "policies:\n  - name: lab\n", "broken.yaml", "policies: [\n",
                "policies.yaml", WEB);
        SortedMap<String, String> pinned = PolicyIdPins.pin(Map.of(), files);
        assertThat(pinned).containsEntry("lab.yaml", files.get("lab.yaml")).containsEntry("broken.yaml", files.get("broken.yaml"));
        assertThat(pinned.get("policies.yaml")).contains("    id: 256\n");
    }

    @Test
    void namesAreMatchedAsWrittenNotAsYamlNumbers() throws IOException {
        String hex = WEB.replace("name: web", "name: 0x1F");
        SortedMap<String, String> pinned = PolicyIdPins.pin(Map.of(), Map.of("policies.yaml", hex));
        assertThat(pinned.get("policies.yaml")).contains("    id: 256\n");
        assertThat(PolicyLoader.loadString("p.yaml", pinned.get("policies.yaml")).model().policies().get("0x1F").id())
                .hasValue(256);
    }
}
