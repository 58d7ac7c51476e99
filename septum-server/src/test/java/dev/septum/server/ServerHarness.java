package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** A server on a test database, with an admin and a second user (bob, approver) holding tokens. */
public final class ServerHarness implements AutoCloseable {
    public final TestDatabase database;
    public final SeptumServer server;
    public final Http anonymous;
    public final Http admin;
    public final Http bob;

    public ServerHarness(String kind, Path dataDir) {
        this(TestDatabase.of(kind), dataDir, ServerConfig.local(dataDir));
    }

    public ServerHarness(TestDatabase database, Path dataDir, ServerConfig base) {
        this.database = database;
        ServerConfig config = database.config(dataDir);
        this.server = SeptumServer.start(new ServerConfig(config.host(), config.port(), config.dataDir(), config.database(),
                base.fourEyes(), config.adminPassword(), base.deployStepDelay(), base.secrets(), base.counterInterval(), base.tls(),
                base.collector(), base.tokenLifetime(), base.groupRefreshInterval(), base.expiredInterval()));
        this.anonymous = new Http(server.port());
        this.admin = anonymous.bearer(token(anonymous.basic("admin", TestUsers.ADMIN_PASSWORD)));
        Http.Response created = admin.post("/api/users", "{\"name\": \"bob\", \"role\": \"approver\", \"password\": \""
                + TestUsers.BOB_PASSWORD + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        this.bob = anonymous.bearer(token(anonymous.basic("bob", TestUsers.BOB_PASSWORD)));
    }

    private static String token(Http basic) {
        Http.Response r = basic.post("/api/tokens", "{\"label\": \"test\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("token").asString();
    }

    @Override
    public void close() {
        server.close();
        database.close();
    }
}
