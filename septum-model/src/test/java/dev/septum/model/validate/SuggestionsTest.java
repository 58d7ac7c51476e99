package dev.septum.model.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** "Did you mean": the closest name within a small distance, or the fallback text. */
class SuggestionsTest {

    @Test
    void countsASwapOfNeighbouringLettersAsOneEdit() {
        assertThat(Suggestions.distance("wbe", "web")).isEqualTo(1);
        assertThat(Suggestions.distance("sorces", "sources")).isEqualTo(1);
        assertThat(Suggestions.distance("web", "web")).isZero();
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    }

    @Test
    void swappedLettersSuggestTheIntendedNameOverAShorterOne() {
        assertThat(Suggestions.closest("wbe", List.of("db", "web"))).contains("web");
    }

    @Test
    void ignoresCaseAndBreaksTiesAlphabetically() {
        assertThat(Suggestions.closest("EOS", List.of("eos", "nftables"))).contains("eos");
        assertThat(Suggestions.closest("leaf3", List.of("leaf2", "leaf1"))).contains("leaf1");
    }

    @Test
    void farAwayNamesFallBackToTheGivenText() {
        assertThat(Suggestions.closest("telnet-legacy", List.of("dns", "web-tls"))).isEmpty();
        assertThat(Suggestions.fix("telnet-legacy", List.of("dns"), "use one of dns")).isEqualTo("use one of dns");
        assertThat(Suggestions.fix("tpc", List.of("tcp", "udp"), "x")).isEqualTo("did you mean 'tcp'?");
    }
}
