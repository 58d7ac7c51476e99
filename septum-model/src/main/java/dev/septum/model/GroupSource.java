package dev.septum.model;

import inet.ipaddr.IPAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a dynamic group's members come from. A build asks the source once and keeps the answer in
 * its resolution snapshot; the group's written {@code prefixes} are always members too.
 */
public sealed interface GroupSource {
    /** The YAML keyword: {@code dns}, {@code dhcp}, {@code http-json}, {@code file}, {@code push}. */
    String kind();

    /** How often the server asks again; a DNS source asks within its TTL bounds instead. */
    Duration refresh();

    Duration DEFAULT_REFRESH = Duration.ofMinutes(5);

    /**
     * A and AAAA records of each name.
     *
     * @param server     {@code address:port} of the resolver to ask, else the system's first nameserver
     * @param minRefresh a record's TTL is raised to this, so a TTL of 0 does not ask every second
     * @param maxRefresh and lowered to this, so a day-long TTL still notices a change
     */
    record Dns(List<String> names, Optional<String> server, Duration minRefresh, Duration maxRefresh)
            implements GroupSource {
        public Dns {
            names = List.copyOf(names);
        }

        @Override
        public String kind() {
            return "dns";
        }

        @Override
        public Duration refresh() {
            return maxRefresh;
        }
    }

    /**
     * Leases from ISC Kea's control agent ({@code lease4-get-all} / {@code lease6-get-all}); a lease
     * is a member when it passes every filter given.
     *
     * @param hostname a glob such as {@code laptop-*}
     * @param authEnv  a {@code SEPTUM_} environment variable holding {@code user:password} for basic auth
     */
    record Dhcp(URI url, IpFamily family, List<String> clientClasses, Optional<String> hostname,
                List<IPAddress> subnets, Optional<String> authEnv, Duration refresh) implements GroupSource {
        public Dhcp {
            clientClasses = List.copyOf(clientClasses);
            subnets = List.copyOf(subnets);
        }

        @Override
        public String kind() {
            return "dhcp";
        }
    }

    /**
     * An inventory answering JSON, e.g. NetBox's {@code /api/ipam/ip-addresses/}.
     *
     * @param items      JSON Pointer to the array of items ({@code /results}); empty: the body is the array
     * @param address    JSON Pointer inside an item to its address ({@code /address})
     * @param asHosts    take {@code 10.0.0.5/24} as the host 10.0.0.5 (NetBox writes an interface's mask)
     * @param filter     item JSON Pointer to the text it must equal
     * @param categories category key to the item JSON Pointer holding its value
     * @param caFile     a PEM file of the CA to trust instead of the JDK's; verification stays on
     */
    record HttpJson(URI url, Optional<String> authHeader, Optional<String> authEnv, Optional<String> caFile,
                    String items, String address, boolean asHosts, Map<String, String> filter,
                    Map<String, String> categories, Duration refresh) implements GroupSource {
        public HttpJson {
            filter = Map.copyOf(filter);
            categories = Map.copyOf(categories);
        }

        @Override
        public String kind() {
            return "http-json";
        }
    }

    /** A file next to the policy (path relative to the policy directory), read on every build. */
    record File(String path, Format format, Duration refresh) implements GroupSource {
        @Override
        public String kind() {
            return "file";
        }

        public enum Format {
            JSON, YAML, CSV;

            public String keyword() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }
        }
    }

    /** Members a CMDB or a script puts through the server's REST endpoint. */
    record Push() implements GroupSource {
        @Override
        public String kind() {
            return "push";
        }

        @Override
        public Duration refresh() {
            return Duration.ZERO;
        }
    }
}
