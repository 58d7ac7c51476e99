package dev.septum.cli;

import static dev.septum.cli.CommandModel.command;
import static dev.septum.cli.CommandModel.flag;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.model.Policy;
import dev.septum.model.PolicyModel;
import dev.septum.model.PolicyNumbers;
import dev.septum.model.load.PolicyLoader;
import dev.septum.model.write.PolicyIdPins;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

final class IdsCommand implements Callable<Integer> {
    CommandSpec spec;
    final PolicyInput input = new PolicyInput();
    final OutputOption output = new OutputOption();
    boolean pin;

    static CommandSpec spec() {
        IdsCommand c = new IdsCommand();
        c.spec = command("ids", c,
                new String[] {"List the #policy-id of every policy and whether its YAML pins it with 'id:'.",
                    "A policy without 'id:' is numbered by where it loads (the lowest free number from 256), so a "
                        + "policy added in a file that loads before it renumbers it and its switches show a config change. "
                        + "--pin writes each missing 'id:' line into its file, keeping today's numbers; nothing else of the "
                        + "files changes. The server pins them on every submit."},
                "", "Example:", "  septum ids examples/seed-lab --pin",
                "", "Exit codes: 0 ok, 1 the policy has errors (nothing is written), 3 a file could not be written.");
        c.input.addTo(c.spec);
        c.output.addTo(c.spec);
        c.spec.addOption(flag(v -> c.pin = v, "--pin")
                .description("Write the missing 'id:' lines into the policy files").build());
        return c.spec;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<PolicyModel> model = PolicyGate.valid(input, spec.commandLine(), err).map(PolicyBuild::model);
        if (model.isEmpty()) {
            return ExitCodes.POLICY_ERRORS;
        }
        List<String> written = new ArrayList<>();
        if (pin) {
            try {
                written.addAll(pinFiles());
            } catch (IOException e) {
                err.println("septum ids: cannot write the ids into " + input.directory + ": " + e.getMessage());
                err.flush();
                return ExitCodes.IO;
            }
        }
        Map<String, Integer> ids = PolicyNumbers.assign(model.get());
        List<Policy> policies = List.copyOf(model.get().policies().values());
        if (output.json()) {
            ObjectNode root = DiagnosticPrinter.JSON.createObjectNode();
            ArrayNode list = root.putArray("policies");
            policies.forEach(p -> list.addObject().put("name", p.name()).put("id", ids.get(p.name()))
                    .put("pinned", pin || p.id().isPresent()).put("file", file(p)));
            written.forEach(root.putArray("written")::add);
            out.println(root.toPrettyString());
        } else {
            text(out, policies, ids, written);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private void text(PrintWriter out, List<Policy> policies, Map<String, Integer> ids, List<String> written) {
        int width = policies.stream().mapToInt(p -> p.name().length()).max().orElse(0);
        out.printf("%-" + Math.max(width, 6) + "s  %-10s  %-6s  %s%n", "policy", "id", "pinned", "file");
        for (Policy p : policies) {
            out.printf("%-" + Math.max(width, 6) + "s  %-10d  %-6s  %s%n", p.name(), ids.get(p.name()),
                    pin || p.id().isPresent() ? "yes" : "no", file(p));
        }
        long loose = policies.stream().filter(p -> p.id().isEmpty()).count();
        if (pin) {
            out.println(written.isEmpty() ? "every id was pinned already"
                    : "pinned " + loose + " id(s) in " + String.join(", ", written));
        } else if (loose > 0) {
            out.println(loose + " policy(ies) without 'id:' would be renumbered by a policy added before them; "
                    + "pin them with: septum ids " + input.directory + " --pin");
        }
    }

    /** Writes the missing ids; returns the names of the files that changed. */
    private List<String> pinFiles() throws IOException {
        SortedMap<String, String> files = new TreeMap<>();
        for (Path file : PolicyLoader.policyFiles(input.directory)) {
            files.put(file.getFileName().toString(), Files.readString(file));
        }
        List<String> written = new ArrayList<>();
        for (var file : PolicyIdPins.pin(Map.of(), files).entrySet()) {
            if (!file.getValue().equals(files.get(file.getKey()))) {
                Files.writeString(input.directory.resolve(file.getKey()), file.getValue());
                written.add(file.getKey());
            }
        }
        return written;
    }

    private static String file(Policy p) {
        return Path.of(p.at().source()).getFileName().toString();
    }
}
