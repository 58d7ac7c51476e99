package dev.septum.compile.nftables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * A rendered nftables config split into what applies it: the {@code nft -f} script, and the
 * {@code ip} batch input per family flag ({@code -4}, {@code -6}) of its routing sections
 * ({@link NftNames#ROUTING_SECTION}). Reviewed and hashed as one text; applied as its parts.
 */
public record NftConfig(String script, SequencedMap<String, List<String>> routing) {
    public NftConfig {
        routing = new LinkedHashMap<>(routing);
    }

    public static NftConfig parse(String config) {
        int at = config.startsWith(NftNames.ROUTING_SECTION) ? 0 : config.indexOf("\n" + NftNames.ROUTING_SECTION);
        if (at < 0) {
            return new NftConfig(config, new LinkedHashMap<>());
        }
        String script = config.substring(0, at == 0 ? 0 : at + 1);
        SequencedMap<String, List<String>> routing = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : config.substring(script.length()).lines().toList()) {
            if (line.startsWith(NftNames.ROUTING_SECTION)) {
                String flag = line.substring(NftNames.ROUTING_SECTION.length()).split(" ", 2)[0];
                if (!flag.equals("-4") && !flag.equals("-6")) {
                    throw new IllegalArgumentException("routing section '" + line + "': only -4 and -6 are known");
                }
                current = routing.computeIfAbsent(flag, f -> new ArrayList<>());
            } else if (!line.isBlank()) {
                current.add(line);
            }
        }
        return new NftConfig(script, routing);
    }
}
