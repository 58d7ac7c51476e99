package dev.septum.model.load;

import dev.septum.model.validate.Diagnostics;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import java.util.Optional;

/** Parses prefixes and hosts; a host becomes a /32 or /128 so every member is a prefix. */
final class Addresses {
    /**
     * Plain dotted-quad IPv4 and standard IPv6 only. The library's defaults also accept inet_aton
     * shorthands, so a typo such as {@code 10.1} would mean 10.0.0.1 and {@code 010.0.0.1} 8.0.0.1.
     */
    private static final IPAddressStringParameters STRICT = strict();

    private Addresses() {
    }

    static Optional<IPAddress> prefix(Scalar s, String object, String field, Diagnostics out) {
        IPAddressString text = new IPAddressString(s.text(), STRICT);
        IPAddress address = text.isIPAddress() ? text.getAddress() : null;
        if (address == null || s.text().contains("*") || s.text().contains("-")) {
            out.error(s.at(), object, field, "'" + s.text() + "' is not an IPv4 or IPv6 prefix or host",
                    "write a prefix such as 10.0.0.0/24 or 2001:db8::/64, or a host such as 10.0.0.5");
            return Optional.empty();
        }
        if (address.getNetworkPrefixLength() == null) {
            return Optional.of(address.setPrefixLength(address.getBitCount(), false));
        }
        if (!address.isPrefixBlock()) {
            out.error(s.at(), object, field, "'" + s.text() + "' has host bits set beyond the /"
                            + address.getNetworkPrefixLength(),
                    "write " + address.toPrefixBlock().toCanonicalString() + " for the subnet, or "
                            + address.withoutPrefixLength().toCanonicalString() + " for the host");
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

    static Optional<IPAddress> host(Scalar s, String object, String field, Diagnostics out) {
        return prefix(s, object, field, out).flatMap(a -> {
            if (a.getNetworkPrefixLength() != a.getBitCount()) {
                out.error(s.at(), object, field, "'" + s.text() + "' is a subnet, not a single address",
                        "write one address such as 10.255.1.11");
                return Optional.empty();
            }
            return Optional.of(a.withoutPrefixLength());
        });
    }
}
