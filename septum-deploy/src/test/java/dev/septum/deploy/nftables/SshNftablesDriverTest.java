package dev.septum.deploy.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.septum.deploy.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH path end to end with real parts: an in-process MINA SSH server on 127.0.0.1 whose exec
 * handler runs each command with {@code sh -c} inside a network namespace this test creates, so the
 * scripts land in a real kernel table; the client key is a real {@code ssh-keygen} ed25519 key.
 */
class SshNftablesDriverTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final String PASSWORD = "correct horse battery staple";
    private final String ns = "sxs-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;

    @TempDir
    Path dir;
    private SshServer server;
    private KeyPair hostKey;
    private PublicKey clientKey;
    private String clientPrivateKey;
    /** Every command the SSH server was asked to run, as it arrived. */
    private final List<String> commands = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Whether the server runs commands as nobody (a non-root login) instead of root. */
    private volatile boolean loginIsUnprivileged;

    @BeforeEach
    void start() throws Exception {
        assertThat(Commands.run(T, List.of("ip", "netns", "add", ns)).ok()).as("ip netns add (needs root)").isTrue();
        Commands.run(T, List.of("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"));

        Path id = dir.resolve("id_ed25519");
        assertThat(Commands.run(T, List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", id.toString())).ok()).isTrue();
        clientPrivateKey = Files.readString(id);
        clientKey = PublicKeyEntry.parsePublicKeyEntry(Files.readString(dir.resolve("id_ed25519.pub")).strip())
                .resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING);

        hostKey = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPasswordAuthenticator((user, password, session) -> "septum".equals(user) && PASSWORD.equals(password));
        server.setPublickeyAuthenticator((user, key, session) -> "septum".equals(user) && KeyUtils.compareKeys(clientKey, key));
        server.setCommandFactory((channel, command) -> {
            commands.add(command);
            return new NamespaceExecCommand(ns, command, loginIsUnprivileged);
        });
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        try {
            if (server != null) {
                server.stop(true);
            }
        } finally {
            Commands.run(T, List.of("ip", "netns", "del", ns));
        }
    }

    private NftTarget.Ssh target(NftTarget.HostKeys hostKeys, NftTarget.Auth auth) {
        return new NftTarget.Ssh("127.0.0.1", server.getPort(), "septum", hostKeys, auth);
    }

    private NftablesDriver sudoDriver() {
        return new NftablesDriver(new NftTarget.Ssh("127.0.0.1", server.getPort(), "septum",
                new NftTarget.HostKeys.Pinned(PublicKeyEntry.toString(hostKey.getPublic())), new NftTarget.Auth.Password("SEPTUM_SSH_PW"),
                true), Map.of("SEPTUM_SSH_PW", PASSWORD)::get);
    }

    private Path knownHosts() throws IOException {
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, "# the device\n[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
        return file;
    }

    private String kernelTable() {
        return Commands.run(T, List.of("ip", "netns", "exec", ns, "nft", "list", "table", "inet", "septum")).stdout();
    }

    @Test
    void keyLoginAppliesIntoTheKernelRefusesBadScriptsAndReadsCountersBack() throws IOException {
        Map<String, String> env = Map.of("SEPTUM_SSH_R1", clientPrivateKey);
        NftablesDriver driver = new NftablesDriver(
                target(new NftTarget.HostKeys.KnownHosts(knownHosts()), new NftTarget.Auth.PrivateKey("SEPTUM_SSH_R1")), env::get);

        assertThat(driver.apply(PingTable.script("accept")).applied()).isTrue();
        assertThat(PingTable.pingPasses(ns)).isTrue();
        assertThat(driver.apply(PingTable.script("drop")).applied()).isTrue();
        assertThat(kernelTable()).as("the ruleset is in the namespace's kernel table").contains("counter name \"c_ping\" drop");
        assertThat(PingTable.pingPasses(ns)).as("the replacement took effect").isFalse();

        ApplyResult refused = driver.apply(PingTable.script("drop") + "table inet septum { chain broken { bogus } }\n");
        assertThat(refused.applied()).isFalse();
        assertThat(refused).isInstanceOfSatisfying(ApplyResult.Rejected.class, r -> {
            assertThat(r.stage()).isEqualTo("check");
            assertThat(r.message()).contains("bogus");
        });
        assertThat(kernelTable()).as("the refused script left the previous ruleset").contains("counter name \"c_ping\" drop");

        assertThat(driver.counters("inet")).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("c_ping");
            assertThat(c.comment()).isEqualTo("p/ping");
            // the drop script replaced the table (and its counter), so only the ping after it counts
            assertThat(c.packets()).as("the dropped ping, counted in the kernel").isEqualTo(1);
        });
        assertThat(driver.listTable("inet")).contains("c_ping");
    }

    @Test
    void passwordLoginWithAPinnedHostKey() {
        NftablesDriver driver = new NftablesDriver(target(new NftTarget.HostKeys.Pinned(PublicKeyEntry.toString(hostKey.getPublic())),
                new NftTarget.Auth.Password("SEPTUM_SSH_PW")), Map.of("SEPTUM_SSH_PW", PASSWORD)::get);
        assertThat(driver.apply(PingTable.script("accept")).applied()).isTrue();
        assertThat(kernelTable()).contains("c_ping");
    }

    @Test
    void anUnknownHostKeyIsRefusedBeforeLoginAndTheMessageNamesTheFix() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty_known_hosts"), "");
        NftablesDriver unknown = new NftablesDriver(target(new NftTarget.HostKeys.KnownHosts(empty),
                new NftTarget.Auth.Password("SEPTUM_SSH_PW")), Map.of("SEPTUM_SSH_PW", PASSWORD)::get);
        assertThatThrownBy(() -> unknown.apply(PingTable.script("accept")))
                .isInstanceOf(SshTargetException.class)
                .hasMessageContaining("is unknown")
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("[127.0.0.1]:" + server.getPort() + " ecdsa-sha2-nistp256 ")
                .hasMessageNotContaining(PASSWORD);

        String otherKey = PublicKeyEntry.toString(KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256).getPublic());
        NftablesDriver mismatched = new NftablesDriver(target(new NftTarget.HostKeys.Pinned(otherKey),
                new NftTarget.Auth.Password("SEPTUM_SSH_PW")), Map.of("SEPTUM_SSH_PW", PASSWORD)::get);
        assertThatThrownBy(() -> mismatched.apply(PingTable.script("accept")))
                .isInstanceOf(SshTargetException.class)
                .hasMessageContaining("does not match the key pinned");
        assertThat(kernelTable()).as("nothing was applied").isEmpty();
    }

    @Test
    void aMissingSecretOrAWrongPasswordIsAClearErrorWithoutTheSecret() throws IOException {
        Path known = knownHosts();
        NftablesDriver unset = new NftablesDriver(target(new NftTarget.HostKeys.KnownHosts(known),
                new NftTarget.Auth.Password("SEPTUM_SSH_UNSET")), name -> null);
        assertThatThrownBy(() -> unset.counters("inet")).isInstanceOf(SshTargetException.class)
                .hasMessageContaining("environment variable SEPTUM_SSH_UNSET is not set");

        NftablesDriver wrong = new NftablesDriver(target(new NftTarget.HostKeys.KnownHosts(known),
                new NftTarget.Auth.Password("SEPTUM_SSH_PW")), Map.of("SEPTUM_SSH_PW", "hunter2")::get);
        assertThatThrownBy(() -> wrong.counters("inet")).isInstanceOf(SshTargetException.class)
                .hasMessageContaining("login").hasMessageContaining("$SEPTUM_SSH_PW").hasMessageNotContaining("hunter2");
    }

    @Test
    void withSudoEveryCommandRunsAsSudoNonInteractive() {
        NftablesDriver driver = sudoDriver();
        assertThat(driver.apply(PingTable.script("drop")).applied()).isTrue();
        assertThat(driver.counters("inet")).extracting(CounterReading::name).containsExactly("c_ping");
        assertThat(kernelTable()).as("sudo (as root here) ran the real nft").contains("counter name \"c_ping\" drop");
        assertThat(commands).hasSize(3).allSatisfy(c -> assertThat(c).startsWith("sudo -n nft "));
        assertThat(commands.get(0)).isEqualTo("sudo -n nft -c -f -");
        assertThat(commands.get(1)).isEqualTo("sudo -n nft -f -");
    }

    @Test
    void aSudoThatWantsAPasswordIsAClearErrorNamingTheSudoersFix() {
        // a non-root login without a NOPASSWD rule: the real sudo answers "sudo: a password is required"
        loginIsUnprivileged = true;
        assertThatThrownBy(() -> sudoDriver().apply(PingTable.script("accept")))
                .isInstanceOf(SshTargetException.class)
                .hasMessageContaining("sudo on septum@127.0.0.1:" + server.getPort() + " over SSH (sudo) asks septum for a password")
                .hasMessageContaining("Septum never types one (it runs sudo -n)")
                .hasMessageContaining("septum ALL=(root) NOPASSWD: /usr/sbin/nft")
                .hasMessageNotContaining(PASSWORD);
        assertThat(commands).singleElement().isEqualTo("sudo -n nft -c -f -");
        assertThat(kernelTable()).as("nothing was applied").isEmpty();
    }
}
