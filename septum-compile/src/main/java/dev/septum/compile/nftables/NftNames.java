package dev.septum.compile.nftables;

/**
 * Object names inside the Septum table. Model names may start with a digit or equal an nft
 * keyword (a group called {@code ip}, a chain called {@code fwd}), so every name gets a prefix
 * that makes it a plain identifier; the model's name rules already exclude anything else.
 */
public final class NftNames {
    /** The one table Septum owns in each family; nothing else on the host is touched. */
    public static final String TABLE = "septum";

    private NftNames() {
    }

    public static String prefixSet(String fieldSet) {
        return "g_" + fieldSet;
    }

    /** Port-carrying entries of a service: protocol . source port . destination port. */
    public static String portSet(String serviceSet) {
        return "s_" + serviceSet;
    }

    /** Entries of a service without ports (icmp, gre, a protocol number). */
    public static String protocolSet(String serviceSet) {
        return "p_" + serviceSet;
    }

    /** One named counter per match, shared by the rules a match expands to. */
    public static String counter(String match) {
        return "c_" + match;
    }

    public static String policyChain(String vrf) {
        return "policy_" + vrf;
    }
}
