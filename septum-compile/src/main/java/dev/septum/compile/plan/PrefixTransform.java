package dev.septum.compile.plan;

import dev.septum.model.Device;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strata-based switches (Broadcom Trident, Tomahawk, Helix) reject traffic-policies matching both
 * source and destination prefixes ("Unsupported ingress qualifier(s)") until
 * {@code transforms interface prefix common source-destination} is configured, as the seed's
 * 720XP showed. The family is read from the Arista part number (series, then the letters after
 * it), so {@code DCS-7050SX3-48YC8} is a 7050 and {@code DCS-7280SR3-48YC8} (Jericho2) is not.
 * The tag {@code prefix-transform} forces the line on, {@code no-prefix-transform} forces it off.
 * docs/eos-platforms.md holds the same table for operators.
 */
public final class PrefixTransform {
    public static final String TAG = "prefix-transform";
    public static final String TAG_OFF = "no-prefix-transform";

    /** {@code [DCS-|CCS-]<series><letters><generation>[-<ports>]}, e.g. CCS-720XP-48ZC2, DCS-7050CX3-32S. */
    private static final Pattern PART_NUMBER = Pattern.compile("^(?:[A-Z]{3}-)?(\\d{3,4})([A-Z]*)\\d*(?:-.*)?$");

    /** A Strata series: its number and, where the number alone is ambiguous, the letters that must follow it. */
    private record StrataSeries(String series, Optional<String> letters) {
        boolean matches(String number, String suffix) {
            return series.equals(number) && letters.map(suffix::startsWith).orElse(true);
        }
    }

    private static final List<StrataSeries> STRATA = List.of(
            any("7010"), any("7050"), any("7060"), any("7250"), any("7260"),
            any("7300"), any("7304"), any("7308"), any("7316"), any("7320"), any("7358"), any("7368"),
            with("710", "P"), with("720", "XP"), with("720", "DP"), with("722", "XP"));

    private PrefixTransform() {
    }

    static boolean needed(Device device) {
        if (device.tags().contains(TAG_OFF)) {
            return false;
        }
        return device.tags().contains(TAG) || strata(device.model());
    }

    /** Whether a part number names a Strata-based switch. Unknown part numbers are not: tag them if they are. */
    static boolean strata(String partNumber) {
        Matcher m = PART_NUMBER.matcher(partNumber.strip().toUpperCase(Locale.ROOT));
        return m.matches() && STRATA.stream().anyMatch(s -> s.matches(m.group(1), m.group(2)));
    }

    /** Both tags on one device: the operator's intent is unclear, so the build says so instead of picking one. */
    public static Optional<String> contradiction(Device device) {
        return device.tags().contains(TAG) && device.tags().contains(TAG_OFF)
                ? Optional.of("is tagged both '" + TAG + "' and '" + TAG_OFF + "'")
                : Optional.empty();
    }

    private static StrataSeries any(String series) {
        return new StrataSeries(series, Optional.empty());
    }

    private static StrataSeries with(String series, String letters) {
        return new StrataSeries(series, Optional.of(letters));
    }
}
