package dev.septum.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The server's TLS identity: PEM files (certificate chain + PKCS#8 key) or a PKCS#12 keystore. */
public sealed interface TlsConfig {
    /** The password the returned keystore's key entry is protected with. */
    String keyPassword();

    /** The identity as a keystore Jetty can use; errors name the file and what to do. */
    KeyStore keyStore();

    record Pem(Path certificate, Path key) implements TlsConfig {
        private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]+)-----END \\1-----");

        public String keyPassword() {
            return "";
        }

        public KeyStore keyStore() {
            try {
                List<Certificate> chain;
                try (InputStream in = Files.newInputStream(certificate)) {
                    chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
                }
                if (chain.isEmpty()) {
                    throw new IllegalArgumentException("--tls-cert " + certificate + " holds no PEM certificate");
                }
                PrivateKey privateKey = privateKey(chain.getFirst().getPublicKey().getAlgorithm());
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("septum", privateKey, keyPassword().toCharArray(), chain.toArray(Certificate[]::new));
                return store;
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read TLS files: " + e.getMessage(), e);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("--tls-cert " + certificate + ": " + e.getMessage(), e);
            }
        }

        private PrivateKey privateKey(String algorithm) throws IOException {
            String text = Files.readString(key, StandardCharsets.US_ASCII);
            Matcher m = BLOCK.matcher(text);
            while (m.find()) {
                if (m.group(1).equals("PRIVATE KEY")) {
                    byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                    } catch (GeneralSecurityException e) {
                        // never echo key bytes; the type mismatch is what the operator can fix
                        throw new IllegalArgumentException("--tls-key " + key + " is not a " + algorithm
                                + " key matching --tls-cert " + certificate, e);
                    }
                }
                if (m.group(1).endsWith("PRIVATE KEY")) {
                    throw new IllegalArgumentException("--tls-key " + key + " is a '" + m.group(1) + "' block; use an unencrypted"
                            + " PKCS#8 key: openssl pkcs8 -topk8 -nocrypt -in " + key + " -out key-pkcs8.pem");
                }
            }
            throw new IllegalArgumentException("--tls-key " + key + " holds no '-----BEGIN PRIVATE KEY-----' block");
        }
    }

    /** {@code password} comes from the environment; it is never stored or logged. */
    record Pkcs12(Path file, String password) implements TlsConfig {
        public String keyPassword() {
            return password;
        }

        public KeyStore keyStore() {
            try (InputStream in = Files.newInputStream(file)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, password.toCharArray());
                return store;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("--tls-keystore " + file + " cannot be opened (" + e.getMessage()
                        + "); check the file and $SEPTUM_TLS_KEYSTORE_PASSWORD", e);
            }
        }

        @Override
        public String toString() {
            return "Pkcs12[file=" + file + ", password=***]";
        }
    }
}
