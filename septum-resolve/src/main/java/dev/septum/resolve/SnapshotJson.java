package dev.septum.resolve;

import dev.septum.compile.pipeline.ResolutionSnapshot;
import dev.septum.compile.pipeline.ResolutionSnapshot.Member;
import dev.septum.compile.pipeline.ResolutionSnapshot.ResolvedGroup;
import dev.septum.model.load.AddressText;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A resolution snapshot as JSON, to store it with a build or a version and replay it later
 * ({@code GroupResolver.replay}). Reading checks every address as strictly as the YAML, so a
 * damaged stored snapshot is refused with the group and field named, never half-applied.
 */
public final class SnapshotJson {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SnapshotJson() {
    }

    public static String write(ResolutionSnapshot snapshot) {
        ObjectNode root = JSON.createObjectNode();
        root.put("takenAt", snapshot.takenAt().toString());
        ArrayNode groups = root.putArray("groups");
        for (ResolvedGroup g : snapshot.groups().values()) {
            ObjectNode o = groups.addObject();
            o.put("group", g.group());
            o.put("source", g.source());
            g.resolvedAt().ifPresent(at -> o.put("resolvedAt", at.toString()));
            g.problem().ifPresent(p -> o.put("problem", p));
            ArrayNode members = o.putArray("members");
            for (Member m : g.members()) {
                ObjectNode member = members.addObject().put("prefix", m.prefix().toCanonicalString());
                if (!m.categories().isEmpty()) {
                    ObjectNode categories = member.putObject("categories");
                    new java.util.TreeMap<>(m.categories()).forEach(categories::put);
                }
            }
        }
        return JSON.writeValueAsString(root);
    }

    /** @throws IllegalArgumentException naming the group and field that cannot be read */
    public static ResolutionSnapshot read(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the stored resolution is not JSON: " + ParseProblem.at(e));
        }
        Instant takenAt = instant(root.path("takenAt"), "takenAt").orElseThrow(
                () -> new IllegalArgumentException("the stored resolution has no takenAt"));
        Map<String, ResolvedGroup> groups = new LinkedHashMap<>();
        for (JsonNode g : root.path("groups")) {
            String name = g.path("group").asString("");
            String where = "group '" + name + "'";
            List<Member> members = new ArrayList<>();
            for (JsonNode m : g.path("members")) {
                String prefix = m.path("prefix").asString("");
                Map<String, String> categories = new LinkedHashMap<>();
                m.path("categories").properties().forEach(e -> categories.put(e.getKey(), e.getValue().asString()));
                members.add(new Member(AddressText.parse(prefix).filter(a -> a.isPrefixBlock() || a.getNetworkPrefixLength() == null)
                        .map(a -> a.getNetworkPrefixLength() == null ? a.setPrefixLength(a.getBitCount(), false) : a)
                        .orElseThrow(() -> new IllegalArgumentException(where + ", field members: '" + prefix
                                + "' is not a prefix")), categories));
            }
            groups.put(name, new ResolvedGroup(name, g.path("source").asString("static"), members,
                    instant(g.path("resolvedAt"), where + ", field resolvedAt"),
                    Optional.ofNullable(g.path("problem").asString(null))));
        }
        return new ResolutionSnapshot(takenAt, groups);
    }

    private static Optional<Instant> instant(JsonNode node, String where) {
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(node.asString()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + ": '" + node.asString() + "' is not a time");
        }
    }
}
