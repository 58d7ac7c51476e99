package dev.septum.deploy.nftables;

/** What an apply did. A rejected apply changed nothing: the previous ruleset is still in force. */
public sealed interface ApplyResult {
    record Applied(String target, int lines) implements ApplyResult {
    }

    /**
     * @param stage   {@code check} when {@code nft -c} refused the script, {@code commit} when the
     *                kernel refused the transaction after the check passed
     * @param message nft's own error, which names the line and the token
     */
    record Rejected(String target, String stage, String message) implements ApplyResult {
    }

    default boolean applied() {
        return this instanceof Applied;
    }
}
