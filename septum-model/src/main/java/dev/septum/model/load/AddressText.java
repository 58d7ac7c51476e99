package dev.septum.model.load;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv4.IPv4Address;
import java.util.Optional;

/**
 * The one reading of an address or prefix, for the YAML and for members a source gives: plain
 * dotted-quad IPv4 and standard IPv6 only. The library's defaults also accept inet_aton
 * shorthands, so a typo such as {@code 10.1} would mean 10.0.0.1 and {@code 010.0.0.1} 8.0.0.1.
 */
public final class AddressText {
    static final IPAddressStringParameters STRICT = strict();

    private AddressText() {
    }

    /** The address, with its prefix length if one was written; empty when it is not one plain address. */
    public static Optional<IPAddress> parse(String text) {
        IPAddress quad = plainIpv4(text);
        if (quad != null) {
            return Optional.of(quad);
        }
        IPAddressString s = new IPAddressString(text, STRICT);
        IPAddress address = s.isIPAddress() ? s.getAddress() : null;
        if (address == null || text.contains("*") || text.contains("-")) {
            return Optional.empty();
        }
        return Optional.of(address);
    }

    /**
     * The common case read without the library's general parser, which took a tenth of a
     * 10,000-rule compile: {@code a.b.c.d} or {@code a.b.c.d/n} in decimal without leading zeros,
     * and for a prefix no host bits set. Anything else (IPv6, errors, host bits) is null and goes the
     * general way, which gives the same address for these (AddressTextTest compares the two).
     */
    private static IPAddress plainIpv4(String text) {
        int length = text.length();
        int value = 0;
        int i = 0;
        for (int octet = 0; octet < 4; octet++) {
            if (octet > 0) {
                if (i >= length || text.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
            int start = i;
            int number = 0;
            while (i < length && i - start < 3 && isDigit(text.charAt(i))) {
                number = number * 10 + text.charAt(i++) - '0';
            }
            if (i == start || number > 255 || (text.charAt(start) == '0' && i - start > 1)) {
                return null;
            }
            value = value << 8 | number;
        }
        if (i == length) {
            return new IPv4Address(value);
        }
        if (text.charAt(i) != '/' || i + 1 == length || length - i > 3) {
            return null;
        }
        int prefix = 0;
        for (int j = i + 1; j < length; j++) {
            if (!isDigit(text.charAt(j))) {
                return null;
            }
            prefix = prefix * 10 + text.charAt(j) - '0';
        }
        boolean leadingZero = text.charAt(i + 1) == '0' && length - i > 2;
        if (leadingZero || prefix > 32 || (prefix < 32 && (value & (-1 >>> prefix)) != 0)) {
            return null;
        }
        return new IPv4Address(value, prefix);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IPAddressStringParameters strict() {
        IPAddressStringParameters.Builder builder = new IPAddressStringParameters.Builder()
                .allowEmpty(false).allowAll(false).allowSingleSegment(false);
        builder.getIPv4AddressParametersBuilder().allow_inet_aton(false).allowLeadingZeros(false);
        return builder.toParams();
    }
}
