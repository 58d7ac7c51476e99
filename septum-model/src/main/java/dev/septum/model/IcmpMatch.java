package dev.septum.model;

import java.util.OptionalInt;

/** The ICMP or ICMPv6 type of a service entry and, when given, one code of that type. */
public record IcmpMatch(int type, OptionalInt code) {
    public IcmpMatch {
        if (type < 0 || type > 255 || code.isPresent() && (code.getAsInt() < 0 || code.getAsInt() > 255)) {
            throw new IllegalArgumentException("ICMP type " + type + " or code " + code + " is outside 0-255");
        }
    }

    public boolean matches(int packetType, int packetCode) {
        return type == packetType && (code.isEmpty() || code.getAsInt() == packetCode);
    }
}
