package dev.septum.model.validate;

import static dev.septum.model.TestPolicies.error;
import static dev.septum.model.TestPolicies.errors;
import static dev.septum.model.TestPolicies.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.model.load.LoadedPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A redirect's router port lands in nft rules and ip command lines, so only plain interface names pass. */
class RedirectRouterPortTest {

    private static String redirect(String port) {
        return "redirects:\n  - name: fw\n    next-hops: [192.0.2.1]\n    router-port: \"" + port + "\"\n";
    }

    @Test
    void routerPortIsLoaded() {
        LoadedPolicy loaded = load(redirect("eth1.100"));

        assertThat(errors(loaded)).isEmpty();
        assertThat(loaded.model().redirects().get("fw").routerPort()).contains("eth1.100");
    }

    @Test
    void routerPortIsOptional() {
        LoadedPolicy loaded = load("redirects:\n  - name: fw\n    next-hops: [192.0.2.1]\n");

        assertThat(errors(loaded)).isEmpty();
        assertThat(loaded.model().redirects().get("fw").routerPort()).isEmpty();
    }

    /** The YAML double-quoted form of each bad port, and the start of the problem reported. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            eth1\\nup        | 'eth1?up' is not a Linux interface name
            eth1 table 100   | 'eth1 table 100' is not a Linux interface name
            eth1\\"          | 'eth1\"' is not a Linux interface name
            -eth1            | '-eth1' is not a Linux interface name
            Ethernet1/1      | 'Ethernet1/1' is not a Linux interface name
            abcdefghijklmnop | 'abcdefghijklmno...' is 16 characters long; a Linux interface name has at most 15
            ""               | is empty
            """)
    void portThatIsNoPlainInterfaceNameIsRefused(String quoted, String problem) {
        Diagnostic d = error(load(redirect(quoted)), problem);

        assertThat(d.object()).isEqualTo("redirect 'fw'");
        assertThat(d.field()).isEqualTo("router-port");
        assertThat(d.problem()).startsWith(problem);
        assertThat(d.fix()).isEqualTo("name the Linux router's interface toward the next hops, e.g. 'router-port: eth1'");
    }
}
