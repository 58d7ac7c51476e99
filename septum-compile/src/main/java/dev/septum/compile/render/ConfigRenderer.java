package dev.septum.compile.render;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.model.Platform;

/** Turns a device plan into the config text of one platform. Same plan, same bytes. */
public interface ConfigRenderer {
    Platform platform();

    String render(DevicePlan plan);
}
