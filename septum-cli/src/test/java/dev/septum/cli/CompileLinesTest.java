package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** compile --out-dir reports a config's lines as String.lines() counts them. */
class CompileLinesTest {
    @Test
    void countsLinesAsStringLinesDoes() {
        for (String text : new String[] {"", "\n", "a\n", "a", "a\nb", "a\n\nb\n", "traffic-policies\n   !\n"}) {
            assertThat(CompileCommand.lines(text)).as("'%s'", text).isEqualTo(text.lines().count());
        }
    }
}
