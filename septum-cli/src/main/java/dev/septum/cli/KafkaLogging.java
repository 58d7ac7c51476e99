package dev.septum.cli;

/**
 * The Kafka client logs every configuration value at info level when it starts; a command that
 * talks to Kafka shows its warnings and errors only, unless the operator asks for more with
 * {@code -Dorg.slf4j.simpleLogger.log.org.apache.kafka=info}. Runs before the client's first log line.
 */
final class KafkaLogging {
    private static final String LEVEL = "org.slf4j.simpleLogger.log.org.apache.kafka";

    private KafkaLogging() {
    }

    static void quiet() {
        System.setProperty(LEVEL, System.getProperty(LEVEL, "warn"));
    }
}
