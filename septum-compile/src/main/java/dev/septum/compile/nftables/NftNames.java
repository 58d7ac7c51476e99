package dev.septum.compile.nftables;

import dev.septum.compile.plan.MatchEntry;

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

    /** The verdict map of a policy chain's {@code index}th mapped run, one per address family. */
    public static String verdictMap(String vrf, int index, dev.septum.model.IpFamily family) {
        return "v_" + vrf + "_" + index + "_" + family.keyword();
    }

    /** The longest comment nft keeps on a set element (and on a counter). */
    public static final int COMMENT_MAX = 128;

    /** What a match's named counter is commented with: the rule it counts for. */
    public static String counterComment(MatchEntry m) {
        return m.policy() + "/" + m.rule() + (m.reverse() ? " reverse" : "") + (m.staged() ? " staged" : "");
    }

    /**
     * The comment of a region-map element: the owning match's {@link #counter} name, a space, its
     * {@link #counterComment}. The deploy driver sums element counters by it into the match's counter.
     */
    public static String elementComment(MatchEntry m) {
        return counter(m.name()) + " " + counterComment(m);
    }

    public static String policyChain(String vrf) {
        return "policy_" + vrf;
    }

    /** The longest Linux interface name (IFNAMSIZ less the terminating zero). */
    public static final int INTERFACE_NAME_MAX = 15;

    /** The VRF that is the kernel's main routing table: no VRF device, so packets no VRF device received. */
    public static final String MAIN_VRF = "default";

    /**
     * The Linux VRF device whose name a routed packet of {@code vrf} carries as its input interface
     * in the forward and input hooks (the kernel hands packets of an enslaved port to the VRF device
     * before routing); empty for {@link #MAIN_VRF}.
     */
    public static java.util.Optional<String> vrfDevice(String vrf) {
        return vrf.equals(MAIN_VRF) ? java.util.Optional.empty() : java.util.Optional.of(vrf);
    }

    private static final int FIRST_GROUP = 1024;

    /**
     * The NFLOG group a monitored rule logs to, the same for every rule and device of one mirror
     * session (monitor object) and across builds: a hash of the session's name into 1024-65535,
     * clear of the low groups other tools pick by hand. {@code septum mirror-agent --nflog-group}
     * reads it.
     */
    public static int nflogGroup(String mirrorSession) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(mirrorSession.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return FIRST_GROUP + (int) (crc.getValue() % (65_536 - FIRST_GROUP));
    }

    /**
     * The conntrack mark a stateful table sets on a flow a monitored rule forwarded, so its later
     * packets (which conntrack accepts before any rule) are logged to the same group: "SP" and the group.
     */
    public static String monitorMark(int group) {
        return String.format("0x5350%04x", group);
    }

    /** The most redirect objects one router can use: each gets a byte of {@link #redirectMark}. */
    public static final int REDIRECT_MAX = 255;

    /** Policy-routing rule priorities and routing tables Septum owns: {@code FIRST + 1 .. FIRST + REDIRECT_MAX}. */
    public static final int REDIRECT_FIRST = 29_100;

    /** Only the redirect part of a mark decides the routing table: a monitored flow's mark never does. */
    public static final String REDIRECT_MARK_MASK = "0xffffff00";

    /**
     * The packet and conntrack mark of a connection redirected to the router's {@code index}th redirect
     * object (from 1): "SR", the index, a zero byte. Distinct from every {@link #monitorMark} ("SP").
     */
    public static String redirectMark(int index) {
        return String.format("0x5352%02x00", index);
    }

    /** The routing table, and the priority of the {@code ip rule} that selects it, of the {@code index}th redirect object. */
    public static int redirectTable(int index) {
        return REDIRECT_FIRST + index;
    }

    /**
     * The priority of the rule that refuses a redirect mark no other Septum rule selects (a connection
     * marked before a change renumbered or removed its redirect object), so it is never routed by the
     * main table past the firewall; the last of Septum's priorities.
     */
    public static final int REDIRECT_CATCH_ALL = REDIRECT_FIRST + REDIRECT_MAX + 1;

    /** Every redirect mark ("SR" in the top half): what {@link #REDIRECT_CATCH_ALL} refuses. */
    public static final String REDIRECT_ANY_MARK = "0x53520000/0xffff0000";

    /** The metric of the unreachable default route that keeps redirected traffic off the main table. */
    public static final long FAIL_CLOSED_METRIC = 4_294_967_295L;

    /**
     * The line that starts a routing section of a rendered nftables config; {@code -4} or {@code -6}
     * and {@code -batch} follow. Everything from the first such line on is {@code ip} batch input, not nft.
     */
    public static final String ROUTING_SECTION = "# septum routing: ip ";
}
