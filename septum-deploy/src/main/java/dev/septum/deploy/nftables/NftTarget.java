package dev.septum.deploy.nftables;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Where {@code nft} runs: this host, or a network namespace on it (the lab's devices). SSH comes later. */
public sealed interface NftTarget {
    /** The command prefix that makes {@code nft ...} run on the target. */
    List<String> prefix();

    String describe();

    record LocalHost() implements NftTarget {
        public List<String> prefix() {
            return List.of();
        }

        public String describe() {
            return "this host";
        }
    }

    record Namespace(String name) implements NftTarget {
        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

        public Namespace {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("network namespace '" + name
                        + "': use letters, digits, '_', '-' and '.' (at most 63 characters)");
            }
        }

        public List<String> prefix() {
            return List.of("ip", "netns", "exec", name);
        }

        public String describe() {
            return "network namespace " + name;
        }
    }

    default List<String> nft(String... args) {
        List<String> command = new ArrayList<>(prefix());
        command.add("nft");
        command.addAll(List.of(args));
        return command;
    }
}
