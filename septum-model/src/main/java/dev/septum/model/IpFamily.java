package dev.septum.model;

import inet.ipaddr.IPAddress;

/** IPv4 or IPv6; EOS needs one match per family, nftables one set type per family. */
public enum IpFamily {
    IPV4("ipv4", 32), IPV6("ipv6", 128);

    private final String keyword;
    private final int bits;

    IpFamily(String keyword, int bits) {
        this.keyword = keyword;
        this.bits = bits;
    }

    public String keyword() {
        return keyword;
    }

    public int bits() {
        return bits;
    }

    public boolean contains(IPAddress address) {
        return address.isIPv4() == (this == IPV4);
    }

    public static IpFamily of(IPAddress address) {
        return address.isIPv4() ? IPV4 : IPV6;
    }
}
