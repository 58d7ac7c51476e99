package dev.septum.compile.plan;

import dev.septum.model.Device;
import java.util.List;
import java.util.Locale;

/**
 * Strata-based switches (720XP, 722XP, 710P, 7010, 7050X) reject traffic-policies matching both
 * source and destination prefixes ("Unsupported ingress qualifier(s)") until
 * {@code transforms interface prefix common source-destination} is configured, as the seed's
 * 720XP showed. A device tagged {@code prefix-transform} gets it whatever its model.
 */
final class PrefixTransform {
    static final String TAG = "prefix-transform";
    private static final List<String> STRATA_MODELS = List.of("720XP", "722XP", "720DP", "710P", "7010", "7050X");

    private PrefixTransform() {
    }

    static boolean needed(Device device) {
        String model = device.model().toUpperCase(Locale.ROOT);
        return device.tags().contains(TAG) || STRATA_MODELS.stream().anyMatch(model::contains);
    }
}
