package dev.septum.model.load;

import inet.ipaddr.format.validate.BundleLoader;

/**
 * The address library's message bundle, read on a second thread while a command starts. The
 * library reads it when its first address is made; that lookup opens and indexes the jar and parses
 * the bundle, which the AOT cache cannot keep: about a fifth of a seed-lab compile's wall time, spent
 * on the thread that reads the policy (bench/RESULTS.md, su6). The library keeps what the first
 * lookup found, so a command that gets there first reads the bundle itself, as it did before.
 */
public final class AddressMessages {
    private AddressMessages() {
    }

    /** Starts reading the bundle on a daemon thread (the JVM may exit without waiting for it). */
    public static void loadInBackground() {
        Thread.ofPlatform().name("septum-address-messages").daemon().start(() -> BundleLoader.loadBundle());
    }
}
