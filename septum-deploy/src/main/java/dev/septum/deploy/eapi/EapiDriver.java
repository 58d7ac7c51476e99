package dev.septum.deploy.eapi;

import dev.septum.compile.plan.DevicePlan;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * One EOS switch over eAPI: reads its running {@code traffic-policies} section, replaces it through
 * a configuration session ({@link EosConfigSession}), and reads its per-match hit counters
 * ({@link EosCounters}). The eAPI twin of {@code NftablesDriver}; the server wraps both the same way.
 */
public final class EapiDriver {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String RUNNING_SECTION = "show running-config section traffic-policies";

    private final EapiTarget target;
    private final EapiClient eapi;

    /** {@code environment} resolves the target's credentials variable (the process environment in production). */
    public EapiDriver(EapiTarget target, UnaryOperator<String> environment) {
        this.target = target;
        this.eapi = client(target, environment);
    }

    public EapiTarget target() {
        return target;
    }

    /** The running {@code traffic-policies} section as EOS prints it. */
    public String runningSection() {
        return eapi.run(List.of("enable", RUNNING_SECTION), "text").getLast().path("output").asString();
    }

    /** Replaces the traffic-policies section with {@code config} through a new configuration session. */
    public EosConfigSession.Outcome push(String config, Duration commitTimer) {
        String session = "septum-" + UUID.randomUUID().toString().substring(0, 8);
        return new EosConfigSession(eapi, session, commitTimer).push(config);
    }

    /** Every match's hit counters, each mapped to the rule of {@code plan} it was rendered from. */
    public List<EosCounters.MatchCounter> counters(DevicePlan plan) {
        return EosCounters.read(eapi, target, plan);
    }

    /** The traffic-policies section of a config, without separator lines: both sides of a drift check. */
    public static String section(String config) {
        StringBuilder out = new StringBuilder();
        boolean inside = false;
        for (String line : config.lines().toList()) {
            if (!line.startsWith(" ")) {
                inside = line.strip().equals("traffic-policies");
            }
            if (inside && !line.isBlank() && !line.strip().equals("!")) {
                out.append(line.stripTrailing()).append('\n');
            }
        }
        return out.toString();
    }

    private static EapiClient client(EapiTarget target, UnaryOperator<String> environment) {
        String variable = target.credentialsEnv();
        String credentials = environment.apply(variable);
        if (credentials == null || credentials.isEmpty()) {
            throw new IllegalStateException("the server's environment has no variable " + variable
                    + "; set it to user:password for " + target.describe());
        }
        int colon = credentials.indexOf(':');
        if (colon < 0) {
            // never echo the value: it may be the password alone
            throw new IllegalStateException("environment variable " + variable + " must hold user:password for "
                    + target.describe() + " (it has no ':')");
        }
        return new EapiClient(target.url(), credentials.substring(0, colon), credentials.substring(colon + 1).toCharArray(),
                EapiClient.certificate(target.certificatePem().getBytes(StandardCharsets.US_ASCII)), TIMEOUT);
    }
}
