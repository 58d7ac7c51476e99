package dev.septum.model.load;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
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
        IPAddressString s = new IPAddressString(text, STRICT);
        IPAddress address = s.isIPAddress() ? s.getAddress() : null;
        if (address == null || text.contains("*") || text.contains("-")) {
            return Optional.empty();
        }
        return Optional.of(address);
    }

    private static IPAddressStringParameters strict() {
        IPAddressStringParameters.Builder builder = new IPAddressStringParameters.Builder()
                .allowEmpty(false).allowAll(false).allowSingleSegment(false);
        builder.getIPv4AddressParametersBuilder().allow_inet_aton(false).allowLeadingZeros(false);
        return builder.toParams();
    }
}
