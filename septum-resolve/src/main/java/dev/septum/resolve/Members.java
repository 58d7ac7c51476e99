package dev.septum.resolve;

import dev.septum.compile.pipeline.ResolutionSnapshot.Member;
import dev.septum.model.load.AddressText;
import dev.septum.model.validate.NameRules;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects a source's members with the same strictness as the YAML: an address or prefix that is
 * not plain, a prefix with host bits, a category that is not a name, or too many members is a
 * failure naming the item, so a garbled answer never becomes a wrong field-set.
 */
final class Members {
    static final int MAX = 65_536;

    private final boolean asHosts;
    private final List<Member> members = new ArrayList<>();

    Members(boolean asHosts) {
        this.asHosts = asHosts;
    }

    /** @param where names the item in a failure, e.g. {@code item 3, field /address} */
    Members add(String text, Map<String, String> categories, String where) throws SourceFailure {
        if (members.size() >= MAX) {
            throw new SourceFailure("answered more than " + MAX + " members; split the source");
        }
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        IPAddress address = AddressText.parse(text).orElseThrow(() -> new SourceFailure(where + ": '" + shown
                + "' is not an IPv4 or IPv6 address or prefix"));
        if (address.getNetworkPrefixLength() == null || asHosts) {
            address = address.withoutPrefixLength().setPrefixLength(address.getBitCount(), false);
        } else if (!address.isPrefixBlock()) {
            throw new SourceFailure(where + ": '" + shown + "' has host bits set beyond the /"
                    + address.getNetworkPrefixLength() + "; set 'as-hosts: true' to take it as the host");
        }
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, String> c : categories.entrySet()) {
            for (String part : List.of(c.getKey(), c.getValue())) {
                if (NameRules.nameProblem(part).isPresent()) {
                    throw new SourceFailure(where + ": category " + c.getKey() + " "
                            + NameRules.nameProblem(part).get());
                }
            }
            checked.put(c.getKey(), c.getValue());
        }
        members.add(new Member(address, checked));
        return this;
    }

    List<Member> list() {
        return List.copyOf(members);
    }
}
