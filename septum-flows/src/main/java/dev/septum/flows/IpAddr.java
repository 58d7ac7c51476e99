package dev.septum.flows;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address as two longs. Flow records arrive at millions per second; two longs hash and
 * compare without allocating the byte arrays and caches that {@link InetAddress} carries.
 */
public record IpAddr(long hi, long lo, boolean v6) implements Comparable<IpAddr> {
    public static final IpAddr V4_ZERO = new IpAddr(0, 0, false);

    public static IpAddr v4(long bits) {
        return new IpAddr(0, bits & 0xFFFF_FFFFL, false);
    }

    public static IpAddr v6(long hi, long lo) {
        return new IpAddr(hi, lo, true);
    }

    public static IpAddr of(InetAddress address) {
        return of(address.getAddress());
    }

    /** An address from its 4 or 16 bytes, network order; 16 bytes stay IPv6 even when IPv4-mapped. */
    public static IpAddr of(byte[] b) {
        if (b.length == 4) {
            return v4(((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL));
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (b[i] & 0xFF);
            lo = (lo << 8) | (b[i + 8] & 0xFF);
        }
        return v6(hi, lo);
    }

    /** Parses a literal address (no name lookup: only digits, dots, colons and hex are accepted). */
    public static IpAddr parse(String literal) {
        if (!literal.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("not an IP address literal: '" + literal + "'");
        }
        try {
            return of(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: '" + literal + "'", e);
        }
    }

    public InetAddress toInetAddress() {
        byte[] b = bytes();
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: length is 4 or 16
        }
    }

    public byte[] bytes() {
        if (!v6) {
            return new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo};
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[i + 8] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    @Override
    public int compareTo(IpAddr o) {
        if (v6 != o.v6) {
            return v6 ? 1 : -1;
        }
        return compare(hi, lo, o.hi, o.lo);
    }

    /** Two addresses of one family, each given as its two longs, compared as {@link #compareTo} does: unsigned. */
    public static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    @Override
    public String toString() {
        if (!v6) {
            return ((lo >>> 24) & 0xFF) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        String s = toInetAddress().getHostAddress();
        return s.contains("%") ? s.substring(0, s.indexOf('%')) : compressV6(s);
    }

    /** Java prints 2001:db8:0:0:0:0:0:1; tools and people expect RFC 5952's 2001:db8::1. */
    private static String compressV6(String full) {
        String[] parts = full.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < parts.length; ) {
            if (parts[i].equals("0")) {
                int j = i;
                while (j < parts.length && parts[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(parts, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(parts, bestStart + bestLen, parts.length));
        return head + "::" + tail;
    }
}
