package dev.septum.compile.pipeline;

import dev.septum.model.Group;
import dev.septum.model.PolicyModel;
import dev.septum.model.validate.Diagnostic;
import dev.septum.model.validate.Diagnostics;
import inet.ipaddr.IPAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The members every group had when a build resolved them, where they came from, and how healthy
 * each source was. A build plans, checks and tags with these members only, so a trace or a diff of
 * a stored build never asks a source again.
 *
 * @param takenAt when the build resolved; ages are counted to it
 * @param groups  group name to its resolution, in the model's order
 */
public record ResolutionSnapshot(Instant takenAt, Map<String, ResolvedGroup> groups) {
    public ResolutionSnapshot {
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    }

    /** One member and the categories its source gave it (a DHCP client class, an inventory tag). */
    public record Member(IPAddress prefix, Map<String, String> categories) {
        public Member {
            categories = Map.copyOf(categories);
        }
    }

    /**
     * @param source     {@code static}, or the kind of the group's source
     * @param members    what the source gave (a static group: its written prefixes)
     * @param resolvedAt when the members were fetched; empty when the source never answered
     * @param problem    why the last attempt failed; with a {@code resolvedAt} the members are the
     *                   last good answer, kept so a failing source never empties a group
     */
    public record ResolvedGroup(String group, String source, List<Member> members, Optional<Instant> resolvedAt,
                                Optional<String> problem) {
        public ResolvedGroup {
            members = List.copyOf(members);
        }

        public static ResolvedGroup of(Group g, Instant at) {
            return new ResolvedGroup(g.name(), "static", g.members().stream().map(m -> new Member(m, Map.of())).toList(),
                    Optional.of(at), Optional.empty());
        }

        public static ResolvedGroup never(Group g, String problem) {
            return new ResolvedGroup(g.name(), g.source().map(s -> s.kind()).orElse("static"), List.of(),
                    Optional.empty(), Optional.of(problem));
        }

        public boolean resolved() {
            return resolvedAt.isPresent();
        }

        public List<IPAddress> addresses() {
            return members.stream().map(Member::prefix).toList();
        }

        /** The same members, kept after a failed attempt. */
        public ResolvedGroup failed(String why) {
            return new ResolvedGroup(group, source, members, resolvedAt, Optional.of(why));
        }

        public Optional<Duration> age(Instant now) {
            return resolvedAt.map(at -> Duration.between(at, now));
        }
    }

    static ResolutionSnapshot ofStaticMembers(PolicyModel model) {
        Instant now = Instant.now();
        Map<String, ResolvedGroup> groups = new LinkedHashMap<>();
        for (Group g : model.groups().values()) {
            groups.put(g.name(), g.dynamic()
                    ? ResolvedGroup.never(g, "this command does not ask " + g.source().orElseThrow().kind()
                            + " sources; build with a resolver (septum resolve, compile, the server)")
                    : ResolvedGroup.of(g, now));
        }
        return new ResolutionSnapshot(now, groups);
    }

    public Optional<ResolvedGroup> group(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    /**
     * The model as this snapshot resolved it: every dynamic group holds its written prefixes and
     * the members its source gave. A group the snapshot lacks keeps what was written.
     */
    public PolicyModel applyTo(PolicyModel model) {
        if (model.groups().values().stream().noneMatch(Group::dynamic)) {
            return model;
        }
        LinkedHashMap<String, Group> groups = new LinkedHashMap<>();
        for (Group g : model.groups().values()) {
            List<IPAddress> members = new ArrayList<>(g.members());
            if (g.dynamic()) {
                group(g.name()).ifPresent(r -> members.addAll(r.addresses()));
            }
            groups.put(g.name(), g.dynamic() ? g.withMembers(members) : g);
        }
        return new PolicyModel(model.domains(), model.devices(), groups, model.services(), model.redirects(),
                model.monitors(), model.policies());
    }

    /**
     * A dynamic group that never resolved blocks the build (its rules would silently change
     * meaning); one whose source failed since its last good answer is a warning with the age.
     */
    public List<Diagnostic> diagnostics(PolicyModel model) {
        Diagnostics out = new Diagnostics();
        for (Group g : model.groups().values()) {
            if (!g.dynamic()) {
                continue;
            }
            String object = "group '" + g.name() + "'";
            Optional<ResolvedGroup> r = group(g.name());
            if (r.isEmpty() || !r.get().resolved()) {
                out.error(g.at(), object, "source", "has never resolved: "
                                + r.flatMap(ResolvedGroup::problem).orElse("the build's snapshot does not hold it"),
                        "make the " + g.source().orElseThrow().kind() + " source answer (septum resolve shows each "
                                + "source's health), or remove the source");
            } else if (r.get().problem().isPresent()) {
                out.warning(g.at(), object, "source", "failed (" + r.get().problem().get() + "); the members of its last "
                                + "good answer, " + Ages.text(r.get().age(takenAt).orElseThrow()) + " old, are kept",
                        "make the source answer again; septum resolve shows its health");
            }
        }
        return out.sorted();
    }
}
