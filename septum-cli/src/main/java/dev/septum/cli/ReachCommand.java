package dev.septum.cli;

import static dev.septum.cli.CommandModel.command;
import static dev.septum.cli.CommandModel.option;
import static dev.septum.cli.CommandModel.optional;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.verify.analysis.Parameters;
import dev.septum.verify.analysis.ReachAnalysis;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

final class ReachCommand implements Callable<Integer> {
    CommandSpec spec;
    final PolicyInput input = new PolicyInput();
    Optional<String> device = Optional.empty();
    String vrf;
    final OutputOption output = new OutputOption();

    static CommandSpec spec() {
        ReachCommand c = new ReachCommand();
        c.spec = command("reach", c,
                new String[] {"Show which groups reach which, and on which services, through a device's policy.",
                    "For every pair of groups, and the addresses outside every group (the internet) on either side: the "
                        + "services forwarded for every packet, those forwarded only in part, those redirected to a firewall, "
                        + "and whether all other traffic between them is forwarded (all), partly (some) or not (none)."},
                "", "Example:", "  septum reach examples/seed-lab",
                "", "Exit codes: 0 shown, 1 the policy is invalid, 2 usage error.");
        c.input.addTo(c.spec);
        c.spec.addOption(optional(String.class, v -> c.device = v, "-d", "--device").paramLabel("NAME")
                .description("The enforcing device (default: the first switch with a policy)").build());
        c.spec.addOption(option(String.class, v -> c.vrf = v, "--vrf").paramLabel("VRF").defaultValue("ALL")
                .description("VRF (default: ${DEFAULT-VALUE})").build());
        c.output.addTo(c.spec);
        return c.spec;
    }

    @Override
    public Integer call() {
        CommandLine command = spec.commandLine();
        Optional<PolicyBuild> build = PolicyGate.valid(input, command, command.getErr());
        if (build.isEmpty()) {
            return ExitCodes.POLICY_ERRORS;
        }
        Parameters parameters = Parameters.of(Map.of("device", device, "vrf", Optional.of(vrf)));
        AnalysisOutput.print(command, output, AnalysisOutput.run(command,
                () -> ReachAnalysis.of(build.get(), input.directory.toString(), parameters)));
        return ExitCodes.OK;
    }
}
