package dev.septum.lab;

import dev.septum.model.PortNames;
import dev.septum.model.Protocol;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model of the switch for tests: reads the EOS text the EOS renderer wrote (field-sets and
 * the traffic-policy's matches) and decides a packet as a traffic-policy does: stateless, first
 * match wins, no match forwards. It reads the rendered text, not the plan, so a test comparing it
 * with real nftables compares the two renderers' outputs.
 */
final class EosTextEvaluator {
    record Packet(IPAddress source, IPAddress destination, int protocol, int sourcePort, int destinationPort) {
    }

    record ServiceLine(int protocol, List<int[]> sourcePorts, List<int[]> destinationPorts) {
    }

    record Match(String name, List<String> sources, List<String> destinations, List<String> services, String action) {
    }

    /** The match that decided, or {@code default} with action {@code forward}. */
    record Decision(String match, String action) {
    }

    private final Map<String, List<IPAddress>> prefixSets = new HashMap<>();
    private final Map<String, List<ServiceLine>> serviceSets = new HashMap<>();
    private final List<Match> matches = new ArrayList<>();

    EosTextEvaluator(String eos) {
        List<String> lines = eos.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("field-set ipv4 prefix ")) {
                String name = line.substring("field-set ipv4 prefix ".length());
                prefixSets.put(name, java.util.Arrays.stream(lines.get(++i).strip().split(" "))
                        .map(p -> new IPAddressString(p).getAddress()).toList());
            } else if (line.startsWith("field-set service ")) {
                String name = line.substring("field-set service ".length());
                List<ServiceLine> entries = new ArrayList<>();
                while (i + 1 < lines.size() && lines.get(i + 1).strip().startsWith("protocol ")) {
                    entries.add(serviceLine(lines.get(++i).strip()));
                }
                serviceSets.put(name, entries);
            } else if (line.startsWith("match ") && line.endsWith(" ipv4") && !line.startsWith("match ipv4-all-default")) {
                i = match(lines, i);
            }
        }
    }

    private int match(List<String> lines, int i) {
        String name = lines.get(i).strip().split(" ")[1];
        List<String> sources = List.of();
        List<String> destinations = List.of();
        List<String> services = List.of();
        String action = "forward";
        int j = i + 1;
        for (; j < lines.size() && lines.get(j).startsWith("         "); j++) {
            String l = lines.get(j).strip();
            if (l.startsWith("source prefix field-set ")) {
                sources = List.of(l.substring("source prefix field-set ".length()).split(" "));
            } else if (l.startsWith("destination prefix field-set ")) {
                destinations = List.of(l.substring("destination prefix field-set ".length()).split(" "));
            } else if (l.startsWith("protocol service field-set ")) {
                services = List.of(l.substring("protocol service field-set ".length()).split(" "));
            } else if (l.equals("drop")) {
                action = "drop";
            } else if (l.startsWith("redirect ")) {
                action = "redirect";
            }
        }
        matches.add(new Match(name, sources, destinations, services, action));
        return j - 1;
    }

    private static ServiceLine serviceLine(String line) {
        // protocol tcp source port all destination port www   |   protocol icmp
        String[] w = line.split(" ");
        int protocol = Protocol.parse(w[1]).orElseThrow().number();
        if (w.length == 2) {
            return new ServiceLine(protocol, List.of(), List.of());
        }
        return new ServiceLine(protocol, ports(w[4]), ports(w[7]));
    }

    private static List<int[]> ports(String text) {
        if (text.equals("all")) {
            return List.of(new int[] {0, 65535});
        }
        List<int[]> ranges = new ArrayList<>();
        for (String item : text.split(",")) {
            if (item.contains("-") && Character.isDigit(item.charAt(0))) {
                String[] r = item.split("-");
                ranges.add(new int[] {Integer.parseInt(r[0]), Integer.parseInt(r[1])});
            } else {
                int p = Character.isDigit(item.charAt(0)) ? Integer.parseInt(item) : PortNames.port(item).orElseThrow();
                ranges.add(new int[] {p, p});
            }
        }
        return ranges;
    }

    Decision decide(Packet packet) {
        return decide(packet, m -> false);
    }

    /** As {@link #decide(Packet)}, as if the matches {@code skip} accepts were not there. */
    Decision decide(Packet packet, java.util.function.Predicate<Match> skip) {
        for (Match m : matches) {
            if (skip.test(m)) {
                continue;
            }
            if (in(m.sources(), packet.source()) && in(m.destinations(), packet.destination()) && service(m.services(), packet)) {
                return new Decision(m.name(), m.action());
            }
        }
        return new Decision("default", "forward");
    }

    List<Match> matches() {
        return List.copyOf(matches);
    }

    private boolean in(List<String> sets, IPAddress address) {
        return sets.isEmpty() || sets.stream().flatMap(s -> prefixSets.get(s).stream()).anyMatch(p -> p.contains(address));
    }

    private boolean service(List<String> sets, Packet p) {
        return sets.isEmpty() || sets.stream().flatMap(s -> serviceSets.get(s).stream()).anyMatch(l -> l.protocol() == p.protocol()
                && (l.sourcePorts().isEmpty() || within(l.sourcePorts(), p.sourcePort()) && within(l.destinationPorts(), p.destinationPort())));
    }

    private static boolean within(List<int[]> ranges, int port) {
        return ranges.stream().anyMatch(r -> r[0] <= port && port <= r[1]);
    }
}
