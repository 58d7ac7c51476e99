package dev.septum.cli;

import picocli.CommandLine.Model.CommandSpec;

/** {@code --duration}, shared by the long-running commands ({@code collect}, {@code mirror-agent}). */
final class RunDuration {
    long seconds;

    void addTo(CommandSpec spec) {
        spec.addOption(CommandModel.option(long.class, s -> seconds = s, "--duration").paramLabel("SECONDS").defaultValue("0")
                .description("Stop after this long (default: run until interrupted)").build());
    }

    /** The stop signal for this duration (see {@link StopSignal}). */
    StopSignal stopSignal() {
        return new StopSignal(seconds);
    }

    /** The stop signal for this duration, giving the command {@code graceSeconds} to finish after a signal. */
    StopSignal stopSignal(long graceSeconds) {
        return new StopSignal(seconds, graceSeconds);
    }
}
