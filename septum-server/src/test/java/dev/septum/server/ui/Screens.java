package dev.septum.server.ui;

import java.nio.file.Path;

/**
 * Where the browser tests put their screenshots: target/ui-screenshots of the module. The ones in
 * docs/ui are copied from there (see docs/ui.md).
 */
final class Screens {
    private Screens() {
    }

    static Path file(String name) {
        return Path.of("target", "ui-screenshots", name + ".png");
    }
}
