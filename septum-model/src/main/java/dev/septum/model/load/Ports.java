package dev.septum.model.load;

import dev.septum.model.PortItem;
import dev.septum.model.PortNames;
import dev.septum.model.PortSpec;
import dev.septum.model.validate.Diagnostics;
import dev.septum.model.validate.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Parses port lists: {@code all}, numbers, {@code low-high} ranges and EOS port names. */
final class Ports {
    private Ports() {
    }

    static PortSpec parse(List<Scalar> items, String object, String field, Diagnostics out) {
        if (items.isEmpty() || items.size() == 1 && items.getFirst().text().equals("all")) {
            return PortSpec.ALL;
        }
        List<PortItem> parsed = new ArrayList<>();
        for (Scalar item : items) {
            if (item.text().equals("all")) {
                out.error(item.at(), object, field, "'all' is mixed with other ports", "write either 'all' or a list of ports");
                continue;
            }
            item(item, object, field, out).ifPresent(parsed::add);
        }
        return new PortSpec(parsed);
    }

    private static Optional<PortItem> item(Scalar s, String object, String field, Diagnostics out) {
        String text = s.text();
        if (text.matches("\\d+")) {
            return number(s, text, object, field, out).map(PortItem.Number::new);
        }
        if (text.matches("\\d+-\\d+")) {
            String[] ends = text.split("-");
            Optional<Integer> low = number(s, ends[0], object, field, out);
            Optional<Integer> high = number(s, ends[1], object, field, out);
            if (low.isEmpty() || high.isEmpty()) {
                return Optional.empty();
            }
            if (low.get() > high.get()) {
                out.error(s.at(), object, field, "range '" + text + "' runs backwards",
                        "write " + high.get() + "-" + low.get());
                return Optional.empty();
            }
            return Optional.of(new PortItem.Range(low.get(), high.get()));
        }
        Optional<Integer> named = PortNames.port(text);
        if (named.isEmpty()) {
            out.error(s.at(), object, field, "'" + text + "' is not a port number, range or known port name",
                    Suggestions.fix(text, PortNames.names(), "use a number, or one of " + String.join(", ", PortNames.names())));
            return Optional.empty();
        }
        return Optional.of(new PortItem.Named(text, named.get()));
    }

    private static Optional<Integer> number(Scalar s, String text, String object, String field, Diagnostics out) {
        try {
            int port = Integer.parseInt(text);
            if (port <= 65535) {
                return Optional.of(port);
            }
        } catch (NumberFormatException e) {
            // too many digits: reported below
        }
        out.error(s.at(), object, field, "port " + text + " is outside 0-65535", "use a port from 0 to 65535");
        return Optional.empty();
    }
}
