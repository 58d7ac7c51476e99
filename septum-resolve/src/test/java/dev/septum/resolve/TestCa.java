package dev.septum.resolve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A throwaway CA made with the real openssl, and server certificates for 127.0.0.1: one it signed,
 * one signed by nobody the client trusts. A missing openssl fails the test.
 */
final class TestCa {
    private static final String PASSWORD = "test";
    final Path dir;

    private TestCa(Path dir) {
        this.dir = dir;
    }

    static TestCa create(Path dir) throws IOException, InterruptedException {
        TestCa ca = new TestCa(dir);
        ca.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=Septum test CA", "-keyout", "ca.key", "-out", "ca.pem");
        return ca;
    }

    Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** A server context for 127.0.0.1 signed by this CA ({@code signed}), or self-signed. */
    SSLContext server(String name, boolean signed) throws Exception {
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=127.0.0.1",
                "-keyout", name + ".key", "-out", name + ".csr");
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=IP:127.0.0.1\n");
        if (signed) {
            openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-days", "2", "-extfile", name + ".ext", "-out", name + ".pem");
        } else {
            openssl("x509", "-req", "-in", name + ".csr", "-signkey", name + ".key", "-days", "2",
                    "-extfile", name + ".ext", "-out", name + ".pem");
        }
        openssl("pkcs12", "-export", "-in", name + ".pem", "-inkey", name + ".key", "-out", name + ".p12",
                "-passout", "pass:" + PASSWORD);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }
}
