package dev.septum.server;

import dev.septum.deploy.Commands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Network namespaces a test creates for nftables targets: a unique {@code sxs-} prefix per test,
 * never the root namespace, all removed in {@link #close()} (called from a finally/try block, so
 * also after a failure).
 */
public final class Namespaces implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private final String prefix = "sxs-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    private final List<String> created = new ArrayList<>();

    /**
     * Fails the test unless it runs as root with nft, as CI does: a test that cannot reach the
     * kernel must not pass by skipping.
     */
    public static Namespaces requireRoot() {
        requireRootUser();
        if (!Commands.run(TIMEOUT, List.of("nft", "--version")).ok()) {
            throw new AssertionError("needs nft (apt-get install nftables; .ci/run installs it)");
        }
        return new Namespaces();
    }

    /** Fails unless the test runs as root, which network namespaces need (CI runs as root). */
    public static void requireRootUser() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new AssertionError("needs root for network namespaces (CI runs as root): run the tests as root");
        }
    }

    public String create(String name) {
        String ns = prefix + name;
        Commands.Result r = Commands.run(TIMEOUT, List.of("ip", "netns", "add", ns));
        if (!r.ok()) {
            throw new IllegalStateException(r.failure());
        }
        created.add(ns);
        return ns;
    }

    /** A name with this test's prefix that no namespace has. */
    public String missing(String name) {
        return prefix + name;
    }

    /** Runs {@code args} inside {@code ns}; fails the test when the command fails. */
    public String exec(String ns, String... args) {
        Commands.Result r = Commands.run(TIMEOUT, inside(ns, args));
        if (!r.ok()) {
            throw new AssertionError(r.failure());
        }
        return r.stdout();
    }

    /** The command line that runs {@code args} inside {@code ns}. */
    public static List<String> inside(String ns, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        command.addAll(List.of(args));
        return command;
    }

    public String nft(String ns, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns, "nft"));
        command.addAll(List.of(args));
        Commands.Result r = Commands.run(TIMEOUT, command);
        return r.ok() ? r.stdout() : "";
    }

    @Override
    public void close() {
        for (String ns : created) {
            Commands.run(TIMEOUT, List.of("ip", "netns", "delete", ns));
        }
    }
}
