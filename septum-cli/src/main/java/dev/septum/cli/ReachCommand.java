package dev.septum.cli;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.verify.analysis.Parameters;
import dev.septum.verify.analysis.ReachAnalysis;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "reach", mixinStandardHelpOptions = true,
        description = {"Show which groups reach which, and on which services, through a device's policy.",
            "For every pair of groups, and the addresses outside every group (the internet) on either side: the "
                + "services forwarded for every packet, those forwarded only in part, those redirected to a firewall, "
                + "and whether all other traffic between them is forwarded (all), partly (some) or not (none)."},
        footer = {"", "Example:", "  septum reach examples/seed-lab",
            "", "Exit codes: 0 shown, 1 the policy is invalid, 2 usage error."})
final class ReachCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PolicyInput input;

    @Option(names = {"-d", "--device"}, paramLabel = "NAME", description = "The enforcing device (default: the first switch with a policy)")
    Optional<String> device;

    @Option(names = "--vrf", defaultValue = "ALL", paramLabel = "VRF", description = "VRF (default: ${DEFAULT-VALUE})")
    String vrf;

    @Mixin
    OutputOption output;

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
