package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;

/** The change-control steps every deploy test repeats. */
public final class DeployTestSupport {
    private DeployTestSupport() {
    }

    /** Edits files in a new workspace, builds, submits (admin), approves (bob) and runs it to the end. */
    public static JsonNode change(ServerHarness h, String name, String... filesAndTexts) {
        long ws = h.admin.post("/api/workspaces", "{\"name\": \"" + name + "\"}").json().path("id").asLong();
        for (int i = 0; i < filesAndTexts.length; i += 2) {
            Http.Response put = h.admin.put("/api/workspaces/" + ws + "/files/" + filesAndTexts[i], filesAndTexts[i + 1], "application/yaml");
            assertThat(put.status()).as(put.body()).isEqualTo(200);
        }
        assertThat(h.admin.post("/api/workspaces/" + ws + "/build", "").status()).isEqualTo(200);
        Http.Response cc = h.admin.post("/api/workspaces/" + ws + "/submit", "{}");
        assertThat(cc.status()).as(cc.body()).isEqualTo(201);
        long id = cc.json().path("id").asLong();
        assertThat(h.bob.post("/api/change-controls/" + id + "/approve", "").status()).isEqualTo(200);
        Http.Response run = h.bob.post("/api/change-controls/" + id + "/run?wait=true", "");
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        return run.json();
    }

    /** The walkthrough's change (the linuxmgmt10 group and the SSH rule to appserver1) as a change control run to its end. */
    public static JsonNode addMgmtSsh(ServerHarness h, String workspace) {
        return change(h, workspace, "objects.yaml", SeedLab.withNewGroup(SeedLab.files().get("objects.yaml")),
                "policies.yaml", SeedLab.withNewRule(SeedLab.files().get("policies.yaml")));
    }

    /** Binds a device to an nftables table (family inet) in a network namespace. */
    public static void bindNamespace(ServerHarness h, String device, String namespace) {
        bind(h.admin, device, namespace);
    }

    /** As {@link #bindNamespace}, through any server's admin client. */
    public static void bind(Http admin, String device, String namespace) {
        Http.Response r = admin.put("/api/targets/" + device, "{\"driver\": \"nftables\", \"namespace\": \"" + namespace
                + "\", \"family\": \"inet\"}", "application/json");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
}
