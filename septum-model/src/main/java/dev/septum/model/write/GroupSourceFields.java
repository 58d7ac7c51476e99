package dev.septum.model.write;

import dev.septum.model.GroupSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** A group's {@code source:} as YAML fields; defaults are left out, as for every other object. */
final class GroupSourceFields {
    private GroupSourceFields() {
    }

    static Map<String, Object> of(GroupSource source) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("kind", source.kind());
        switch (source) {
            case GroupSource.Dns d -> {
                f.put("names", d.names());
                d.server().ifPresent(s -> f.put("server", s));
                f.put("min-refresh", duration(d.minRefresh()));
                f.put("max-refresh", duration(d.maxRefresh()));
            }
            case GroupSource.Dhcp d -> {
                f.put("url", d.url().toString());
                f.put("family", d.family().keyword());
                if (!d.clientClasses().isEmpty()) {
                    f.put("client-classes", d.clientClasses());
                }
                d.hostname().ifPresent(h -> f.put("hostname", h));
                if (!d.subnets().isEmpty()) {
                    f.put("subnets", d.subnets().stream().map(a -> a.toCanonicalString()).toList());
                }
                d.authEnv().ifPresent(e -> f.put("auth-env", e));
                refresh(f, d.refresh());
            }
            case GroupSource.HttpJson h -> {
                f.put("url", h.url().toString());
                h.authHeader().ifPresent(a -> f.put("auth-header", a));
                h.authEnv().ifPresent(e -> f.put("auth-env", e));
                h.caFile().ifPresent(c -> f.put("ca-file", c));
                if (!h.items().isEmpty()) {
                    f.put("items", h.items());
                }
                f.put("address", h.address());
                if (h.asHosts()) {
                    f.put("as-hosts", true);
                }
                if (!h.filter().isEmpty()) {
                    f.put("filter", new TreeMap<>(h.filter()));
                }
                if (!h.categories().isEmpty()) {
                    f.put("categories", new TreeMap<>(h.categories()));
                }
                refresh(f, h.refresh());
            }
            case GroupSource.File file -> {
                f.put("path", file.path());
                f.put("format", file.format().keyword());
                refresh(f, file.refresh());
            }
            case GroupSource.Push p -> {
                // the kind says it all
            }
        }
        return f;
    }

    private static void refresh(Map<String, Object> f, Duration refresh) {
        if (!refresh.equals(GroupSource.DEFAULT_REFRESH)) {
            f.put("refresh", duration(refresh));
        }
    }

    /** In the largest unit that is exact, as the loader reads it. */
    private static String duration(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
