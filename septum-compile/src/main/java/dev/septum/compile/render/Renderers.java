package dev.septum.compile.render;

import dev.septum.compile.eos.EosRenderer;
import dev.septum.compile.nftables.NftablesRenderer;
import dev.septum.model.Platform;
import java.util.List;
import java.util.Optional;

/** The renderer of each platform; adding a platform adds one entry here. */
public final class Renderers {
    private static final List<ConfigRenderer> ALL = List.of(new EosRenderer(), new NftablesRenderer());

    private Renderers() {
    }

    public static Optional<ConfigRenderer> forPlatform(Platform platform) {
        return ALL.stream().filter(r -> r.platform() == platform).findFirst();
    }
}
