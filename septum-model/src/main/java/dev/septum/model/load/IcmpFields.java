package dev.septum.model.load;

import dev.septum.model.IcmpMatch;
import dev.septum.model.IcmpTypes;
import dev.septum.model.Protocol;
import dev.septum.model.validate.Suggestions;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Reads {@code icmp-type} and {@code icmp-code} of a service entry, names or numbers 0-255. */
final class IcmpFields {
    private IcmpFields() {
    }

    /**
     * Empty when a field is wrong (reported); else the entry's ICMP match, itself empty when the
     * entry names no type (every type matches).
     */
    static Optional<Optional<IcmpMatch>> read(YamlFields y, Protocol p) {
        Optional<Scalar> type = y.scalar("icmp-type");
        Optional<Scalar> code = y.scalar("icmp-code");
        if (type.isEmpty() && code.isEmpty()) {
            return Optional.of(Optional.empty());
        }
        if (!IcmpTypes.hasTypes(p)) {
            Scalar first = type.or(() -> code).orElseThrow();
            String field = type.isPresent() ? "icmp-type" : "icmp-code";
            y.diagnostics().error(first.at(), y.object(), field, p.keyword() + " has no ICMP types or codes",
                    "use 'protocol: icmp' (or icmpv6), or remove '" + field + "'");
            return Optional.empty();
        }
        if (type.isEmpty()) {
            y.diagnostics().error(code.get().at(), y.object(), "icmp-code", "is given without 'icmp-type'",
                    "add 'icmp-type:' (a code belongs to one type, e.g. destination-unreachable), or remove 'icmp-code'");
            return Optional.empty();
        }
        Optional<Integer> typeNumber = value(y, p, type.get(), "icmp-type", IcmpTypes.type(p, type.get().text()),
                IcmpTypes.typeNames(p));
        Optional<OptionalInt> codeNumber = code.isEmpty() ? Optional.of(OptionalInt.empty())
                : value(y, p, code.get(), "icmp-code", IcmpTypes.code(p, code.get().text()), IcmpTypes.codeNames(p))
                        .map(OptionalInt::of);
        if (typeNumber.isEmpty() || codeNumber.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Optional.of(new IcmpMatch(typeNumber.get(), codeNumber.get())));
    }

    private static Optional<Integer> value(YamlFields y, Protocol p, Scalar s, String field, Optional<Integer> parsed,
                                           Set<String> names) {
        if (parsed.isEmpty()) {
            boolean type = field.equals("icmp-type");
            Protocol other = p.equals(Protocol.ICMPV6) ? Protocol.ICMP : Protocol.ICMPV6;
            boolean ofOther = (type ? IcmpTypes.typeNames(other) : IcmpTypes.codeNames(other)).contains(s.text());
            y.diagnostics().error(s.at(), y.object(), field,
                    "'" + s.text() + "' is not an " + p.keyword() + " " + (type ? "type" : "code") + " name or a number 0-255",
                    ofOther ? "it is an " + other.keyword() + " name: set 'protocol: " + other.keyword() + "', or use an "
                            + p.keyword() + " name such as " + String.join(", ", names.stream().limit(4).toList())
                            : Suggestions.fix(s.text(), names, "use a number 0-255, or one of " + String.join(", ", names)));
        }
        return parsed;
    }
}
