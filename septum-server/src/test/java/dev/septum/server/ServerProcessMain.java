package dev.septum.server;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A server in a process of its own, so a test can kill it with SIGKILL mid-deployment.
 * Arguments: data directory, deploy step delay in milliseconds, and optionally a PostgreSQL JDBC
 * URL (several such processes then share it). Prints {@code PORT <n>} when up; stops when its
 * standard input closes (the test ended, or died), so no process outlives the test.
 */
public final class ServerProcessMain {
    private ServerProcessMain() {
    }

    public static void main(String[] args) throws IOException {
        SeptumServer server = SeptumServer.start(ServerConfig.local(Path.of(args[0])).withAdminPassword(TestUsers.ADMIN_PASSWORD)
                .withDeployStepDelay(Duration.ofMillis(Long.parseLong(args[1])))
                .withDatabase(args.length > 2 ? Optional.of(args[2]) : Optional.empty()));
        System.out.println("PORT " + server.port());
        System.out.flush();
        while (System.in.read() != -1) {
            // nothing is ever written; end of input is the signal
        }
        server.close();
    }
}
