package dev.septum.cli;

import java.util.Optional;

/** What the commands that talk to Kafka ({@code collect --kafka}, {@code flows-ingest}) share. */
final class KafkaCli {
    private static final String LEVEL = "org.slf4j.simpleLogger.log.org.apache.kafka";

    private KafkaCli() {
    }

    /**
     * The Kafka client logs every configuration value at info level when it starts; show its warnings
     * and errors only, unless the operator asks for more with
     * {@code -Dorg.slf4j.simpleLogger.log.org.apache.kafka=info}. Call before the client's first log line.
     */
    static void quietLogging() {
        System.setProperty(LEVEL, System.getProperty(LEVEL, "warn"));
    }

    /**
     * Why {@code value} of {@code option} cannot name a node or group member (it travels in every
     * message and client id), or empty when it can.
     */
    static Optional<String> badName(String option, Optional<String> value) {
        return value.filter(v -> !v.matches("[A-Za-z0-9._-]{1,64}"))
                .map(v -> option + " '" + v + "' is not a name: use 1 to 64 letters, digits, '.', '_' or '-'");
    }
}
