package dev.septum.cli;

import static dev.septum.cli.CommandModel.command;
import static dev.septum.cli.CommandModel.optional;

import dev.septum.model.PolicyModel;
import dev.septum.compile.pipeline.DeviceBuild;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.model.Platform;
import dev.septum.model.validate.Suggestions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

final class CompileCommand implements Callable<Integer> {
    private CommandSpec spec;
    private final PolicyInput input = new PolicyInput();
    private Optional<String> device = Optional.empty();
    private Optional<Path> outDir = Optional.empty();
    private Optional<Platform> format = Optional.empty();
    /** The old names ('--out', '-f'/'--format'), still read for older scripts, never shown in help. */
    private Optional<Path> oldOutDir = Optional.empty();
    private Optional<Platform> oldFormat = Optional.empty();
    private final OutputOption output = new OutputOption();

    static CommandSpec spec() {
        CompileCommand c = new CompileCommand();
        c.spec = command("compile", c,
                new String[] {"Compile a policy directory into each device's config.",
                    "EOS switches get traffic-policies (field-sets, one match per rule and direction, the built-in "
                        + "defaults last) plus the mirror sessions their rules use; monitor nodes get their GRE tunnels and "
                        + "flow tracker. Output is deterministic: same input, same bytes."},
                "", "Examples:",
                "  septum compile examples/seed-lab --device andreasm-720xp-home",
                "  septum compile examples/seed-lab --out-dir build/configs",
                "  septum compile examples/seed-lab --platform nftables --output json",
                "", "Exit codes: 0 ok, 1 the policy has errors (nothing is written), 2 usage error, 3 output not writable.");
        c.input.addTo(c.spec);
        c.spec.addOption(optional(String.class, v -> c.device = v, "-d", "--device").paramLabel("NAME")
                .description("Compile only this device").build());
        c.spec.addOption(optional(Path.class, v -> c.outDir = v, "--out-dir").paramLabel("DIR")
                .description("Write one file per device (<device>.<platform>) into DIR instead of printing").build());
        c.spec.addOption(optional(Platform.class, v -> c.format = v, "--platform").paramLabel("PLATFORM")
                .description("Only devices of this platform: ${COMPLETION-CANDIDATES} (default: every device)").build());
        c.spec.addOption(optional(Path.class, v -> c.oldOutDir = v, "--out").hidden(true).build());
        c.spec.addOption(optional(Platform.class, v -> c.oldFormat = v, "-f", "--format").hidden(true).build());
        c.output.addTo(c.spec);
        return c.spec;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        outDir = outDir.or(() -> oldOutDir);
        format = format.or(() -> oldFormat);
        Optional<PolicyBuild> build = PolicyGate.valid(input, spec.commandLine(), err);
        if (build.isEmpty()) {
            return ExitCodes.POLICY_ERRORS;
        }
        PolicyModel model = build.get().model();
        if (device.isPresent() && !model.devices().containsKey(device.get())) {
            err.println("septum compile: no device is named '" + device.get() + "'; "
                    + Suggestions.fix(device.get(), model.devices().keySet(),
                    "devices are " + String.join(", ", model.devices().keySet())));
            err.flush();
            return ExitCodes.USAGE;
        }
        List<RenderedConfig> configs = build.get().devices().stream()
                .filter(d -> device.isEmpty() || d.name().equals(device.get()))
                .filter(d -> format.isEmpty() || d.plan().device().platform() == format.get())
                .map(d -> (DeviceBuild.Rendered) d) // a valid build renders every device
                .map(r -> new RenderedConfig(r.name(), r.profile().platform(), r.config())).toList();
        if (configs.isEmpty() && format.isPresent()) {
            err.println("septum compile: no " + device.map(d -> "device '" + d + "' is an ").orElse("device is an ")
                    + format.get().keyword() + " device in " + input.directory + "; nothing to compile");
            err.flush();
            return ExitCodes.USAGE;
        }
        return outDir.isPresent() ? write(configs, outDir.get()) : print(configs);
    }

    private int print(List<RenderedConfig> configs) {
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            out.println(RenderedConfig.json(configs).toPrettyString());
        } else if (configs.size() == 1 && device.isPresent()) {
            out.print(configs.getFirst().text());
        } else {
            for (RenderedConfig c : configs) {
                out.println("! ===== device " + c.device() + " (" + c.platform().keyword() + ")");
                out.print(c.text());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private int write(List<RenderedConfig> configs, Path dir) {
        PrintWriter out = spec.commandLine().getOut();
        try {
            Files.createDirectories(dir);
            for (RenderedConfig c : configs) {
                Path file = dir.resolve(c.device() + "." + c.platform().keyword());
                Files.writeString(file, c.text(), StandardCharsets.UTF_8);
                out.println("wrote " + file + " (" + lines(c.text()) + " lines)");
            }
        } catch (IOException e) {
            spec.commandLine().getErr().println("septum compile: cannot write to " + dir + ": " + e.getMessage());
            return ExitCodes.IO;
        }
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * The config's lines, counted without making a string of each line as {@code String.lines()}
     * does (a tenth of what a 10,000-rule compile did after planning). A rendered config ends every
     * line with {@code \n} and holds no {@code \r} (ConfigText refuses control characters), so this
     * is the count {@code lines()} gives.
     */
    static long lines(String text) {
        long count = 0;
        for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', end + 1)) {
            count++;
        }
        return count + (text.isEmpty() || text.endsWith("\n") ? 0 : 1);
    }

    private record RenderedConfig(String device, Platform platform, String text) {
        static ObjectNode json(List<RenderedConfig> configs) {
            ObjectNode root = DiagnosticPrinter.JSON.createObjectNode();
            ArrayNode devices = root.putArray("devices");
            for (RenderedConfig c : configs) {
                devices.addObject().put("device", c.device()).put("platform", c.platform().keyword()).put("config", c.text());
            }
            return root;
        }
    }
}
