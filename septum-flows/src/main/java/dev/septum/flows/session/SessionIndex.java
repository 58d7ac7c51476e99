package dev.septum.flows.session;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Open-addressing hash index of live sessions, looked up with the key's primitive fields so the hot
 * path allocates no key. Linear probing over a parallel int array of hashes keeps a miss inside one
 * cache line; a hit touches the hash array and the session, where a {@code HashMap} of record keys
 * touched bucket, node, key, nested key parts, value and (access order) two neighbours. Deletion shifts
 * later entries back (no tombstones), so lookups never degrade over time.
 */
final class SessionIndex {
    private Session[] slots;
    private int[] hashes;
    private int size;
    private int mask;
    private int evictCursor;

    SessionIndex(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        slots = new Session[cap];
        hashes = new int[cap];
        mask = cap - 1;
    }

    static int spread(int h) {
        return (h ^ (h >>> 16)) * 0x45d9f3b;
    }

    Session get(int hash, int vrf, int protocol, boolean v6, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        int h = spread(hash);
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Session s = slots[i];
            if (s == null) {
                return null;
            }
            if (hashes[i] == h && s.matches(vrf, protocol, v6, aHi, aLo, aPort, bHi, bLo, bPort)) {
                return s;
            }
        }
    }

    /** Loads the home slot of {@code hash} and its session's fields (see SessionTable.acceptAll). */
    long touch(int hash) {
        int i = spread(hash) & mask;
        Session s = slots[i];
        return s == null ? hashes[i] : hashes[i] + s.touch();
    }

    void put(Session s) {
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        insert(s, spread(s.key.hashCode()));
        size++;
    }

    private void insert(Session s, int h) {
        int i = h & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = s;
        hashes[i] = h;
    }

    private void grow() {
        Session[] old = slots;
        int[] oldHashes = hashes;
        slots = new Session[old.length * 2];
        hashes = new int[old.length * 2];
        mask = slots.length - 1;
        for (int i = 0; i < old.length; i++) {
            if (old[i] != null) {
                insert(old[i], oldHashes[i]);
            }
        }
    }

    void remove(Session s) {
        int h = spread(s.key.hashCode());
        int i = h & mask;
        while (slots[i] != s) {
            if (slots[i] == null) {
                return;
            }
            i = (i + 1) & mask;
        }
        // Backward-shift deletion: move up each following entry whose home slot is at or before the gap.
        int gap = i;
        for (int j = (gap + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int home = hashes[j] & mask;
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                slots[gap] = slots[j];
                hashes[gap] = hashes[j];
                gap = j;
            }
        }
        slots[gap] = null;
        hashes[gap] = 0;
        size--;
    }

    /**
     * A session to evict when the table is full: the least recently updated of a few sampled from a
     * rotating cursor (approximate LRU, as Redis does), so eviction stays O(1) without an LRU list.
     */
    Session evictionCandidate() {
        Session best = null;
        int seen = 0;
        for (int n = 0; n < slots.length && seen < 8; n++) {
            evictCursor = (evictCursor + 1) & mask;
            Session s = slots[evictCursor];
            if (s != null) {
                seen++;
                if (best == null || s.updatedAt < best.updatedAt) {
                    best = s;
                }
            }
        }
        return best;
    }

    void forEach(Consumer<Session> action) {
        for (Session s : slots) {
            if (s != null) {
                action.accept(s);
            }
        }
    }

    List<Session> all() {
        List<Session> out = new ArrayList<>(size);
        forEach(out::add);
        return out;
    }

    int size() {
        return size;
    }
}
