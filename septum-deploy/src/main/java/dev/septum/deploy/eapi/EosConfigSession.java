package dev.septum.deploy.eapi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Pushes a rendered EOS config the way CloudVision does: a named configuration session, Septum's
 * section replaced ({@code no traffic-policies}, then the lines, so nothing else on the switch is
 * touched), {@code show session-config diffs} for the record, {@code commit timer} (EOS rolls back
 * by itself unless confirmed), a read-back of the running traffic-policies, then the confirming
 * {@code commit}. Any error before the confirmation sends {@code abort}, which discards the
 * session or, after the timed commit, restores the previous running config.
 */
public final class EosConfigSession {
    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern MATCH = Pattern.compile("^\\s+match (\\S+) (ipv4|ipv6)$");

    /** @param diff what {@code show session-config diffs} reported before the commit */
    public sealed interface Outcome {
        record Committed(String diff, int lines) implements Outcome {
        }

        /** Nothing changed on the device: the session was aborted (before or after the timed commit). */
        record Aborted(String stage, String reason) implements Outcome {
        }

        /** The abort itself failed: what runs on the device is not known. */
        record Unknown(String reason) implements Outcome {
        }
    }

    private final EapiClient eapi;
    private final String session;
    private final Duration commitTimer;

    public EosConfigSession(EapiClient eapi, String session, Duration commitTimer) {
        if (!SESSION.matcher(session).matches()) {
            throw new IllegalArgumentException("configuration session name '" + session + "': use letters, digits, '_' and '-'");
        }
        this.eapi = eapi;
        this.session = session;
        this.commitTimer = commitTimer;
    }

    public Outcome push(String renderedConfig) {
        List<String> lines = configLines(renderedConfig);
        String diff;
        try {
            List<String> commands = new ArrayList<>(List.of("enable", "configure session " + session, "no traffic-policies"));
            commands.addAll(lines);
            eapi.run(commands, "json");
            diff = eapi.run(List.of("enable", "configure session " + session, "show session-config diffs"), "text")
                    .getLast().path("output").asString();
        } catch (EapiException e) {
            return abort("load", e.describe());
        }
        try {
            eapi.run(List.of("enable", "configure session " + session, "commit timer " + hhmmss(commitTimer)), "json");
        } catch (EapiException e) {
            // EOS validates hardware resources (TCAM) at commit; a refused commit leaves the running config as it was
            return abort("commit", e.describe());
        }
        try {
            String running = eapi.run(List.of("enable", "show running-config section traffic-policies"), "text")
                    .getLast().path("output").asString();
            List<String> missing = expectedMatches(renderedConfig).stream()
                    .filter(m -> !running.contains("match " + m + " ")).toList();
            if (!missing.isEmpty()) {
                return abort("read-back", "the running config lacks matches " + missing);
            }
            eapi.run(List.of("enable", "configure session " + session + " commit"), "json");
        } catch (EapiException e) {
            return abort("confirm", e.describe());
        }
        return new Outcome.Committed(diff, lines.size());
    }

    private Outcome abort(String stage, String reason) {
        try {
            // abort must be given at the session's top level, so re-enter the session first
            eapi.run(List.of("enable", "configure session " + session, "abort"), "json");
            return new Outcome.Aborted(stage, reason);
        } catch (EapiException e) {
            if (stage.equals("load") || stage.equals("commit")) {
                // nothing was committed: the running config is unchanged, only an uncommitted session may linger
                return new Outcome.Aborted(stage, reason + "; abort failed too (" + e.describe()
                        + "), so the uncommitted session may stay pending; the running config is unchanged");
            }
            return new Outcome.Unknown(reason + "; then abort failed: " + e.describe()
                    + "; the commit timer rolls the device back when it expires unless someone confirms it");
        }
    }

    /** The config as commands: separator lines ({@code !}) dropped, {@code !!} comments kept, indentation kept. */
    static List<String> configLines(String config) {
        return config.lines().filter(l -> !l.isBlank() && !l.strip().equals("!")).toList();
    }

    static List<String> expectedMatches(String config) {
        List<String> names = new ArrayList<>();
        config.lines().forEach(l -> {
            var m = MATCH.matcher(l);
            if (m.matches()) {
                names.add(m.group(1));
            }
        });
        return names;
    }

    static String hhmmss(Duration d) {
        long s = d.toSeconds();
        return String.format("%02d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
    }
}
