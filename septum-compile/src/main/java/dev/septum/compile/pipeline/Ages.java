package dev.septum.compile.pipeline;

import java.time.Duration;

/** An age as people read it: {@code 45s}, {@code 12m}, {@code 3h 5m}, {@code 2d 4h}. */
public final class Ages {
    private Ages() {
    }

    public static String text(Duration age) {
        long s = Math.max(0, age.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m";
        }
        if (s < 86400) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        return s / 86400 + "d " + s % 86400 / 3600 + "h";
    }
}
