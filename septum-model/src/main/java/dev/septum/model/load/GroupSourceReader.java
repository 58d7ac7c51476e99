package dev.septum.model.load;

import dev.septum.model.GroupSource;
import dev.septum.model.IpFamily;
import dev.septum.model.validate.NameRules;
import dev.septum.model.validate.Suggestions;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a group's {@code source:} mapping. Everything a source will later send a request with (a
 * URL, a resolver address, an environment variable's name) is checked here, so a bad value is a
 * file:line:col error before any build asks the network.
 */
final class GroupSourceReader {
    static final int MAX_NAMES = 64;
    static final int MAX_URL = 2048;
    static final int MAX_POINTER = 256;
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,6})(s|m|h)");
    private static final Pattern FQDN = Pattern.compile(
            "(?=.{1,253}\\.?$)([A-Za-z0-9_]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9_]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern ENV = Pattern.compile("SEPTUM_[A-Z0-9_]{1,64}");
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9.*?_-]{1,253}");
    private static final Duration MIN = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofHours(24);

    private final YamlFields y;

    private GroupSourceReader(YamlFields y) {
        this.y = y;
    }

    static Optional<GroupSource> read(YamlFields y) {
        return new GroupSourceReader(y).source();
    }

    private Optional<GroupSource> source() {
        Optional<String> kind = y.required("kind", "add 'kind:' with one of " + kinds()).map(Scalar::text);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        if (!SourceKeys.BY_KIND.containsKey(kind.get())) {
            y.diagnostics().error(y.at("kind"), y.object(), "kind", "'" + kind.get() + "' is not a source kind",
                    Suggestions.fix(kind.get(), SourceKeys.BY_KIND.keySet(), "use one of " + kinds()));
            return Optional.empty();
        }
        y.rejectUnknown(SourceKeys.BY_KIND.get(kind.get()));
        return switch (kind.get()) {
            case "dns" -> dns();
            case "dhcp" -> dhcp();
            case "http-json" -> httpJson();
            case "file" -> file();
            default -> Optional.of(new GroupSource.Push());
        };
    }

    private static String kinds() {
        return String.join(", ", SourceKeys.BY_KIND.keySet().stream().sorted().toList());
    }

    private Optional<GroupSource> dns() {
        List<String> names = new ArrayList<>();
        for (Scalar s : y.scalars("names")) {
            if (FQDN.matcher(s.text()).matches()) {
                names.add(s.text().toLowerCase(Locale.ROOT));
            } else {
                error(s, "names", "'" + s.text() + "' is not a DNS name", "write a name such as api.example.com");
            }
        }
        if (!y.has("names")) {
            y.diagnostics().error(y.at(), y.object(), "names", "is missing", "list the DNS names, e.g. names: [api.example.com]");
        } else if (names.size() > MAX_NAMES) {
            y.diagnostics().error(y.at("names"), y.object(), "names", "lists " + names.size() + " names; the limit is "
                    + MAX_NAMES, "split the names over several groups");
        }
        Optional<String> server = y.scalar("server").flatMap(this::resolverAddress);
        Duration min = duration("min-refresh", Duration.ofSeconds(30));
        Duration max = duration("max-refresh", Duration.ofHours(1));
        if (min.compareTo(max) > 0) {
            y.diagnostics().error(y.at("min-refresh"), y.object(), "min-refresh", "is longer than max-refresh",
                    "make min-refresh at most max-refresh");
        }
        return Optional.of(new GroupSource.Dns(names, server, min, max));
    }

    /** An IP literal with an optional port: a resolver named by a DNS name would need DNS to be found. */
    private Optional<String> resolverAddress(Scalar s) {
        Matcher m = Pattern.compile("\\[([0-9A-Fa-f:.]+)\\]:([0-9]{1,5})|([0-9.]+):([0-9]{1,5})|([0-9A-Fa-f:.]+)")
                .matcher(s.text());
        if (m.matches()) {
            String host = m.group(1) != null ? m.group(1) : m.group(3) != null ? m.group(3) : m.group(5);
            String port = m.group(2) != null ? m.group(2) : m.group(4) != null ? m.group(4) : "53";
            IPAddressString address = new IPAddressString(host);
            int p = Integer.parseInt(port);
            if (address.isIPAddress() && address.getNetworkPrefixLength() == null && p >= 1 && p <= 65535) {
                return Optional.of(s.text());
            }
        }
        error(s, "server", "'" + s.text() + "' is not an address with an optional port",
                "write 127.0.0.1:5353, [::1]:53 or 192.0.2.53");
        return Optional.empty();
    }

    private Optional<GroupSource> dhcp() {
        Optional<URI> url = url();
        IpFamily family = y.scalar("family").flatMap(s -> switch (s.text()) {
            case "ipv4" -> Optional.of(IpFamily.IPV4);
            case "ipv6" -> Optional.of(IpFamily.IPV6);
            default -> {
                error(s, "family", "'" + s.text() + "' is not ipv4 or ipv6", "write family: ipv4 (lease4-get-all) or ipv6");
                yield Optional.<IpFamily>empty();
            }
        }).orElse(IpFamily.IPV4);
        List<String> classes = new ArrayList<>();
        for (Scalar s : y.scalars("client-classes")) {
            NameRules.nameProblem(s.text()).ifPresentOrElse(
                    p -> error(s, "client-classes", p, "write Kea client class names such as guest"),
                    () -> classes.add(s.text()));
        }
        Optional<String> hostname = y.scalar("hostname").flatMap(s -> {
            if (GLOB.matcher(s.text()).matches()) {
                return Optional.of(s.text());
            }
            error(s, "hostname", "'" + s.text() + "' is not a host name pattern",
                    "use letters, digits, '.', '-', '_' and the wildcards '*' and '?', e.g. laptop-*");
            return Optional.empty();
        });
        List<IPAddress> subnets = new ArrayList<>();
        for (Scalar s : y.scalars("subnets")) {
            Addresses.prefix(s, y.object(), "subnets", y.diagnostics()).ifPresent(subnets::add);
        }
        Optional<String> authEnv = authEnv(url);
        return url.map(u -> new GroupSource.Dhcp(u, family, classes, hostname, subnets, authEnv, refresh()));
    }

    private Optional<GroupSource> httpJson() {
        Optional<URI> url = url();
        Optional<String> authEnv = authEnv(url);
        Optional<String> header = y.scalar("auth-header").flatMap(s -> {
            if (HEADER.matcher(s.text()).matches()) {
                return Optional.of(s.text());
            }
            error(s, "auth-header", "'" + s.text() + "' is not an HTTP header name", "write e.g. Authorization");
            return Optional.empty();
        });
        if (header.isPresent() && authEnv.isEmpty()) {
            y.diagnostics().error(y.at("auth-header"), y.object(), "auth-header", "is given without auth-env",
                    "add auth-env: SEPTUM_... naming the variable that holds the header's value");
        }
        Optional<String> caFile = y.scalar("ca-file").filter(s -> inside(s, "ca-file")).map(Scalar::text);
        String items = y.scalar("items").map(s -> pointer(s, "items")).orElse("");
        String address = y.scalar("address").map(s -> pointer(s, "address")).orElse("/address");
        Map<String, String> filter = new LinkedHashMap<>();
        y.stringMap("filter").forEach((k, v) -> {
            pointer(new Scalar(k, v.at()), "filter");
            if (v.text().length() > MAX_POINTER || v.text().chars().anyMatch(c -> c < 0x20)) {
                error(v, "filter", "value of '" + k + "' is longer than " + MAX_POINTER
                        + " characters or holds a control character", "write a short plain value");
            }
            filter.put(k, v.text());
        });
        Map<String, String> categories = new LinkedHashMap<>();
        y.stringMap("categories").forEach((k, v) -> {
            NameRules.nameProblem(k).ifPresent(p -> error(v, "categories", "key " + p, "name the category with letters, digits, '_', '-' and '.'"));
            categories.put(k, pointer(v, "categories"));
        });
        boolean asHosts = y.bool("as-hosts", false);
        return url.map(u -> new GroupSource.HttpJson(u, authEnv.map(e -> header.orElse("Authorization")),
                authEnv, caFile, items, address, asHosts, filter, categories, refresh()));
    }

    private Optional<GroupSource> file() {
        Optional<Scalar> path = y.required("path", "add 'path:' relative to the policy directory, e.g. members/web.csv");
        Optional<String> relative = path.filter(p -> inside(p, "path")).map(Scalar::text);
        Optional<GroupSource.File.Format> format = y.scalar("format").map(s -> format(s, s.text()))
                .orElseGet(() -> relative.flatMap(this::formatOf));
        if (relative.isPresent() && format.isEmpty() && !y.has("format")) {
            y.diagnostics().error(y.at("path"), y.object(), "format", "cannot be told from the file name",
                    "add format: json, yaml or csv");
        }
        return relative.flatMap(p -> format.map(f -> new GroupSource.File(p, f, refresh())));
    }

    /** A file a source reads stays below the policy directory (the server's sources directory). */
    private boolean inside(Scalar p, String field) {
        String t = p.text();
        if (t.isBlank() || t.startsWith("/") || t.contains("\\") || List.of(t.split("/")).contains("..") || t.length() > 512) {
            error(p, field, "'" + t + "' leaves the policy directory",
                    "write a path inside the policy directory, without '..' or a leading '/'");
            return false;
        }
        return true;
    }

    private Optional<GroupSource.File.Format> formatOf(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
            return Optional.of(GroupSource.File.Format.JSON);
        }
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return Optional.of(GroupSource.File.Format.YAML);
        }
        return lower.endsWith(".csv") ? Optional.of(GroupSource.File.Format.CSV) : Optional.empty();
    }

    private Optional<GroupSource.File.Format> format(Scalar s, String text) {
        for (GroupSource.File.Format f : GroupSource.File.Format.values()) {
            if (f.keyword().equals(text)) {
                return Optional.of(f);
            }
        }
        error(s, "format", "'" + text + "' is not json, yaml or csv", "write format: json, yaml or csv");
        return Optional.empty();
    }

    private Optional<URI> url() {
        return y.required("url", "add the url: of the service to ask").flatMap(s -> {
            try {
                URI uri = new URI(s.text());
                String scheme = Optional.ofNullable(uri.getScheme()).orElse("");
                if (s.text().length() > MAX_URL) {
                    error(s, "url", "is longer than " + MAX_URL + " characters", "shorten the URL");
                } else if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
                    error(s, "url", "'" + s.text() + "' is not an http(s) URL with a host", "write e.g. https://netbox.example/api/ipam/ip-addresses/");
                } else if (uri.getRawUserInfo() != null) {
                    error(s, "url", "holds a user name or password, which would be stored and shown with the policy",
                            "remove it from the URL and put the credential in a SEPTUM_ environment variable named by auth-env");
                } else {
                    return Optional.of(uri);
                }
            } catch (URISyntaxException e) {
                error(s, "url", "'" + s.text() + "' is not a URL: " + e.getReason(), "write e.g. https://inventory.example/api/hosts");
            }
            return Optional.empty();
        });
    }

    /** The variable's name only: the secret itself never sits in the policy. */
    private Optional<String> authEnv(Optional<URI> url) {
        return y.scalar("auth-env").flatMap(s -> {
            if (!ENV.matcher(s.text()).matches()) {
                error(s, "auth-env", "'" + s.text() + "' is not a SEPTUM_ environment variable name",
                        "name a variable such as SEPTUM_NETBOX_TOKEN (upper case, digits, '_'); only SEPTUM_ variables are read");
                return Optional.empty();
            }
            if (url.filter(u -> u.getScheme().equals("http") && !loopback(u.getHost())).isPresent()) {
                error(s, "auth-env", "would send the credential unencrypted over http to " + url.get().getHost(),
                        "use an https URL");
                return Optional.empty();
            }
            return Optional.of(s.text());
        });
    }

    private static boolean loopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        IPAddressString address = new IPAddressString(h);
        return h.equals("localhost") || address.isIPAddress() && address.getAddress().isLoopback();
    }

    private String pointer(Scalar s, String field) {
        String t = s.text();
        if (!t.isEmpty() && !t.startsWith("/") || t.length() > MAX_POINTER || t.chars().anyMatch(c -> c < 0x20)) {
            error(s, field, "'" + t + "' is not a JSON Pointer", "write a pointer such as /address or /status/value");
            return "";
        }
        return t;
    }

    private Duration refresh() {
        return duration("refresh", GroupSource.DEFAULT_REFRESH);
    }

    private Duration duration(String key, Duration fallback) {
        return y.scalar(key).flatMap(s -> {
            Matcher m = DURATION.matcher(s.text());
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                Duration d = switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
                if (d.compareTo(MIN) >= 0 && d.compareTo(MAX) <= 0) {
                    return Optional.of(d);
                }
            }
            error(s, key, "'" + s.text() + "' is not a duration from 1s to 24h", "write e.g. 30s, 5m or 1h");
            return Optional.empty();
        }).orElse(fallback);
    }

    private void error(Scalar s, String field, String problem, String fix) {
        y.diagnostics().error(s.at(), y.object(), field, problem, fix);
    }
}
