package dev.septum.server;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A server in a process of its own, so a test can kill it with SIGKILL mid-deployment.
 * Arguments: data directory, deploy step delay in milliseconds. Prints {@code PORT <n>} when up.
 */
public final class ServerProcessMain {
    private ServerProcessMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SeptumServer server = SeptumServer.start(ServerConfig.local(Path.of(args[0])).withAdminPassword(TestUsers.ADMIN_PASSWORD)
                .withDeployStepDelay(Duration.ofMillis(Long.parseLong(args[1]))));
        System.out.println("PORT " + server.port());
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(5)); // bounded: the test kills it long before
        server.close();
    }
}
