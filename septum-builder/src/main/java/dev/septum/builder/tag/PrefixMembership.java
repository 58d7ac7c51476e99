package dev.septum.builder.tag;

import dev.septum.flows.IpAddr;
import inet.ipaddr.IPAddress;
import java.util.BitSet;
import java.util.List;

/**
 * Which of several lists of prefixes (groups' members, a device's prefix sets) hold an address:
 * each prefix is kept as its first and last address in two longs, as {@link IpAddr} holds an
 * address, so a look-up is a scan of unsigned compares. It answers as {@link IPAddress#contains}
 * does for each prefix (its lowest to its highest address), which, called per list and prefix,
 * was most of the tagger's and the estate's time on a million sessions.
 */
public final class PrefixMembership {
    private final boolean[] v6;
    private final long[] firstHi;
    private final long[] firstLo;
    private final long[] lastHi;
    private final long[] lastLo;
    private final int[] list;

    private PrefixMembership(int prefixes) {
        v6 = new boolean[prefixes];
        firstHi = new long[prefixes];
        firstLo = new long[prefixes];
        lastHi = new long[prefixes];
        lastLo = new long[prefixes];
        list = new int[prefixes];
    }

    /** @param lists each list's prefixes; an answer names a list by its position here */
    public static PrefixMembership of(List<List<IPAddress>> lists) {
        PrefixMembership m = new PrefixMembership(lists.stream().mapToInt(List::size).sum());
        int row = 0;
        for (int i = 0; i < lists.size(); i++) {
            for (IPAddress p : lists.get(i)) {
                IpAddr first = address(p.getLower());
                IpAddr last = address(p.getUpper());
                m.v6[row] = first.v6();
                m.firstHi[row] = first.hi();
                m.firstLo[row] = first.lo();
                m.lastHi[row] = last.hi();
                m.lastLo[row] = last.lo();
                m.list[row++] = i;
            }
        }
        return m;
    }

    /** The positions of the lists holding the address. */
    public BitSet holding(IpAddr a) {
        BitSet out = new BitSet();
        for (int r = 0; r < list.length; r++) {
            if (v6[r] == a.v6() && !out.get(list[r]) && atMost(firstHi[r], firstLo[r], a.hi(), a.lo())
                    && atMost(a.hi(), a.lo(), lastHi[r], lastLo[r])) {
                out.set(list[r]);
            }
        }
        return out;
    }

    /** The positions of the lists sharing an address with any of the prefixes. */
    public BitSet overlapping(List<IPAddress> prefixes) {
        BitSet out = new BitSet();
        for (IPAddress p : prefixes) {
            IpAddr first = address(p.getLower());
            IpAddr last = address(p.getUpper());
            for (int r = 0; r < list.length; r++) {
                if (v6[r] == first.v6() && atMost(firstHi[r], firstLo[r], last.hi(), last.lo())
                        && atMost(first.hi(), first.lo(), lastHi[r], lastLo[r])) {
                    out.set(list[r]);
                }
            }
        }
        return out;
    }

    /** The address in two longs, of its own family (an IPv4-mapped IPv6 address stays IPv6, as {@code contains} sees it). */
    static IpAddr address(IPAddress a) {
        return IpAddr.of(a.getBytes());
    }

    private static boolean atMost(long aHi, long aLo, long bHi, long bLo) {
        return IpAddr.compare(aHi, aLo, bHi, bLo) <= 0;
    }
}
