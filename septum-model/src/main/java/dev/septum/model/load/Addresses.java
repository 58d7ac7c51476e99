package dev.septum.model.load;

import dev.septum.model.validate.Diagnostics;
import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;
import java.util.Optional;

/** Parses prefixes and hosts; a host becomes a /32 or /128 so every member is a prefix. */
final class Addresses {
    private Addresses() {
    }

    static Optional<IPAddress> prefix(Scalar s, String object, String field, Diagnostics out) {
        IPAddress address = AddressText.parse(s.text()).orElse(null);
        if (address == null) {
            out.error(s.at(), object, field, "'" + s.text() + "' is not an IPv4 or IPv6 prefix or host",
                    "write a prefix such as 10.0.0.0/24 or 2001:db8::/64, or a host such as 10.0.0.5");
            return Optional.empty();
        }
        if (address instanceof IPv4Address v4 && v4.getNetworkPrefixLength() == null) {
            // the same /32 as setPrefixLength gives, without the library's general path for it
            // (a twentieth of reading a 10,000-rule policy's groups, bench/RESULTS.md, cc6)
            return Optional.of(new IPv4Address(v4.intValue(), IPv4Address.BIT_COUNT));
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
