package dev.septum.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The redirect form edits router-port; left empty, the field is not written (it is optional). */
class RedirectFormTest {
    private final FormSpec form = FormSpec.of("redirects").orElseThrow();

    @Test
    void routerPortIsWrittenWhenGiven() {
        Map<String, Object> value = form.decode(Map.of("name", List.of("fw"), "next-hops", List.of("192.0.2.1"),
                "router-port", List.of(" eth1 ")), Map.of());

        assertThat(value).containsEntry("router-port", "eth1").containsEntry("next-hops", List.of("192.0.2.1"));
    }

    @Test
    void anEmptyRouterPortRemovesTheField() {
        Map<String, Object> value = form.decode(Map.of("name", List.of("fw"), "next-hops", List.of("192.0.2.1"),
                "router-port", List.of("")), Map.of("router-port", "eth1"));

        assertThat(value).doesNotContainKey("router-port");
    }
}
