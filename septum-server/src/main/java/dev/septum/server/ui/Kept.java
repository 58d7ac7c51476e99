package dev.septum.server.ui;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Values the pages compute from a workspace at one revision (its objects' lists, its pending
 * changes), kept for the next requests: every edit bumps the revision, so a value is never stale
 * for the key it is kept under. The least recently used go first.
 */
final class Kept<K, V> {
    private final Map<K, V> values;

    Kept(int most) {
        this.values = new LinkedHashMap<>(most, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > most;
            }
        };
    }

    V get(K key, Supplier<V> compute) {
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
