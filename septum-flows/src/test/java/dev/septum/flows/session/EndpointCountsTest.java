package dev.septum.flows.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fan-in counts against a HashMap doing the same, through growth and backward-shift deletion. */
class EndpointCountsTest {
    private record Key(int vrf, int protocol, long hi, long lo, boolean v6, int port) {
    }

    @Test
    void randomAddsAndRemovalsCountAsAMapDoes() {
        Random rnd = new Random(13);
        EndpointCounts counts = new EndpointCounts(16);
        Map<Key, Integer> model = new HashMap<>();
        // few distinct keys, so counts rise and fall to 0 often and chains of collisions form and shift
        Key[] keys = new Key[3000];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new Key(rnd.nextInt(3), rnd.nextBoolean() ? 6 : 17, rnd.nextInt(2), rnd.nextInt(50),
                    rnd.nextInt(10) == 0, rnd.nextInt(4) * 16384);
        }
        for (int step = 0; step < 200_000; step++) {
            Key k = keys[rnd.nextInt(keys.length)];
            int delta = rnd.nextInt(5) < 3 ? 1 : -1;
            counts.add(k.vrf(), k.protocol(), k.hi(), k.lo(), k.v6(), k.port(), delta);
            int now = model.getOrDefault(k, 0) + delta;
            if (now > 0) {
                model.put(k, now);
            } else {
                model.remove(k);
            }
            if (step % 10_000 == 0) {
                for (Key each : keys) {
                    assertThat(counts.get(each.vrf(), each.protocol(), each.hi(), each.lo(), each.v6(), each.port()))
                            .as("%s at step %d", each, step).isEqualTo(model.getOrDefault(each, 0));
                }
                assertThat(counts.size()).isEqualTo(model.size());
            }
        }
        assertThat(model).isNotEmpty();
    }

    @Test
    void anEndpointDiffersByEveryPartOfItsKey() {
        EndpointCounts counts = new EndpointCounts(4);
        counts.add(1, 6, 0, 10, false, 443, 1);
        counts.add(1, 6, 0, 10, false, 443, 1);
        assertThat(counts.get(1, 6, 0, 10, false, 443)).isEqualTo(2);
        assertThat(counts.get(2, 6, 0, 10, false, 443)).isZero();
        assertThat(counts.get(1, 17, 0, 10, false, 443)).isZero();
        assertThat(counts.get(1, 6, 1, 10, false, 443)).isZero();
        assertThat(counts.get(1, 6, 0, 11, false, 443)).isZero();
        assertThat(counts.get(1, 6, 0, 10, true, 443)).isZero();
        assertThat(counts.get(1, 6, 0, 10, false, 80)).isZero();
        counts.add(1, 6, 0, 10, false, 443, -2);
        assertThat(counts.size()).isZero();
    }
}
