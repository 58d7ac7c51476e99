package dev.septum.server.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Values computed from what their key names (a workspace at one revision, a version, a digest of
 * a policy's stored files), kept for the next requests: every edit makes a new key, so a value is
 * never stale for the key it is kept under. The least recently used go first; nothing a
 * computation throws is kept.
 */
public final class Kept<K, V> {
    private final Map<K, V> values;

    public Kept(int most) {
        this.values = new LinkedHashMap<>(most, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > most;
            }
        };
    }

    public V get(K key, Supplier<V> compute) {
        synchronized (values) {
            V found = values.get(key);
            if (found != null) {
                return found;
            }
        }
        // computed outside the lock: two first readers may both compute; either value is the same
        V computed = compute.get();
        synchronized (values) {
            values.put(key, computed);
        }
        return computed;
    }
}
