package dev.septum.model;

import java.util.List;

/** A port list; no items means {@code all}. */
public record PortSpec(List<PortItem> items) {
    public static final PortSpec ALL = new PortSpec(List.of());

    public PortSpec {
        items = List.copyOf(items);
    }

    public boolean isAll() {
        return items.isEmpty();
    }

    public boolean contains(int port) {
        return isAll() || items.stream().anyMatch(i -> i.low() <= port && port <= i.high());
    }

    /**
     * EOS rejects lists that mix port names with numbers, so a mixed list renders as numbers only;
     * a list of names only keeps the names (MSS renders {@code domain}, {@code ntp}).
     */
    public String eosText() {
        if (isAll()) {
            return "all";
        }
        boolean allNamed = items.stream().allMatch(i -> i instanceof PortItem.Named);
        return String.join(",", items.stream().map(i -> allNamed ? i.toString() : numeric(i)).toList());
    }

    private static String numeric(PortItem item) {
        return item.low() == item.high() ? Integer.toString(item.low()) : item.low() + "-" + item.high();
    }
}
