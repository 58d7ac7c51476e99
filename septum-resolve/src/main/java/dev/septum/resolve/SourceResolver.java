package dev.septum.resolve;

import dev.septum.compile.pipeline.GroupResolver;
import dev.septum.compile.pipeline.ResolutionSnapshot;
import dev.septum.compile.pipeline.ResolutionSnapshot.ResolvedGroup;
import dev.septum.model.Group;
import dev.septum.model.GroupSource;
import dev.septum.model.PolicyModel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Asks every dynamic group's source once per build and remembers each group's last good answer:
 * a source that fails later keeps those members (the snapshot says how old they are and why), so
 * a DNS outage or an inventory's bad day never empties a group. Sources are asked concurrently,
 * a few at a time, each bounded in time and size.
 */
public final class SourceResolver implements GroupResolver {
    /** At most this many sources are asked at once, so a thousand groups do not open a thousand connections. */
    static final int CONCURRENT = 16;

    private final Function<String, Optional<String>> env;
    /** Made on first use: a policy of static groups only never loads the HTTP, DNS and JSON code (start-up of every CLI call). */
    private Sources sources;
    private final PushedMembers pushed;
    private final Clock clock;
    private final Path directory;
    private final Map<String, Kept> lastGood = new ConcurrentHashMap<>();

    /** The last good answer of a group and the source definition it came from. */
    private record Kept(GroupSource source, ResolvedGroup resolved, Instant due) {
    }

    /** The readers of each kind of source. */
    private record Sources(DnsLookup dns, KeaLeases kea, HttpJsonInventory inventory, MemberFile files) {
        static Sources of(Path baseDir, Function<String, Optional<String>> env) {
            HttpFetch http = new HttpFetch(baseDir);
            return new Sources(new DnsLookup(Path.of("/etc/resolv.conf")), new KeaLeases(http, env),
                    new HttpJsonInventory(http, env), new MemberFile(baseDir));
        }
    }

    public SourceResolver(Path baseDir, Function<String, Optional<String>> env, Clock clock) {
        this(baseDir, env, PushedMembers.NONE, clock);
    }

    public SourceResolver(Path baseDir, Function<String, Optional<String>> env, PushedMembers pushed, Clock clock) {
        this.pushed = pushed;
        this.directory = baseDir;
        this.env = env;
        this.clock = clock;
    }

    /**
     * For a policy directory on this machine (the CLI), or the directory a server keeps its
     * sources' files in: {@code file} paths and {@code ca-file}s are read below {@code dir} only.
     * Credentials come from {@code SEPTUM_} environment variables only.
     */
    public static SourceResolver forDirectory(Path dir) {
        return forDirectory(dir, PushedMembers.NONE);
    }

    /** As {@link #forDirectory(Path)}, with the members pushed to a server. */
    public static SourceResolver forDirectory(Path dir, PushedMembers pushed) {
        return new SourceResolver(dir, SourceResolver::septumEnv, pushed, Clock.systemUTC());
    }

    static Optional<String> septumEnv(String name) {
        return name.startsWith("SEPTUM_") ? Optional.ofNullable(System.getenv(name)) : Optional.empty();
    }

    @Override
    public ResolutionSnapshot resolve(PolicyModel model) {
        Instant now = clock.instant();
        Map<String, Future<ResolvedGroup>> asked = askDynamic(model);
        Map<String, ResolvedGroup> groups = new LinkedHashMap<>();
        for (Group g : model.groups().values()) {
            groups.put(g.name(), g.dynamic() ? result(g, asked.get(g.name())) : ResolvedGroup.of(g, now));
        }
        return new ResolutionSnapshot(now, groups);
    }

    /** Asks every dynamic group's source, at most {@link #CONCURRENT} at once; returns when all have answered. */
    private Map<String, Future<ResolvedGroup>> askDynamic(PolicyModel model) {
        Map<String, Future<ResolvedGroup>> asked = new LinkedHashMap<>();
        if (model.groups().values().stream().noneMatch(Group::dynamic)) {
            return asked; // no thread pool for a policy of static groups only
        }
        Semaphore slots = new Semaphore(CONCURRENT);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Group g : model.groups().values()) {
                if (g.dynamic()) {
                    asked.put(g.name(), pool.submit(() -> {
                        slots.acquire();
                        try {
                            return ask(g);
                        } finally {
                            slots.release();
                        }
                    }));
                }
            }
        }
        return asked;
    }

    private synchronized Sources sources() {
        if (sources == null) {
            sources = Sources.of(directory, env);
        }
        return sources;
    }

    private ResolvedGroup result(Group g, Future<ResolvedGroup> answer) {
        try {
            return answer.get();
        } catch (ExecutionException e) {
            return failed(g, "unexpected " + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(g, "interrupted");
        }
    }

    private ResolvedGroup ask(Group g) {
        GroupSource source = g.source().orElseThrow();
        try {
            Instant at = clock.instant();
            Answer answer = switch (source) {
                case GroupSource.Dns d -> sources().dns().lookup(d);
                case GroupSource.Dhcp d -> sources().kea().fetch(d);
                case GroupSource.HttpJson h -> sources().inventory().fetch(h);
                case GroupSource.File f -> sources().files().read(f);
                case GroupSource.Push p -> Answer.of(PushedMembers.read(pushed.json(g.name()).orElseThrow(() -> new SourceFailure(
                        "nothing has been pushed for it (a server takes pushes: PUT /api/groups/" + g.name() + "/members)")),
                        "the pushed members"));
            };
            ResolvedGroup resolved = new ResolvedGroup(g.name(), source.kind(), answer.members(), Optional.of(at), Optional.empty());
            lastGood.put(g.name(), new Kept(source, resolved, at.plus(answer.validFor().orElse(source.refresh()))));
            return resolved;
        } catch (SourceFailure e) {
            return failed(g, e.getMessage());
        }
    }

    /** The last good members of the same source definition, or never resolved. */
    private ResolvedGroup failed(Group g, String why) {
        Kept kept = lastGood.get(g.name());
        return kept != null && kept.source().equals(g.source().orElseThrow())
                ? kept.resolved().failed(why) : ResolvedGroup.never(g, why);
    }

    /**
     * Takes a stored snapshot's members as the last good answers of the groups this resolver has
     * not asked yet (a server that restarts keeps the members its newest approved version was
     * built with), due again at once so the next refresh asks their sources.
     */
    public void remember(PolicyModel model, ResolutionSnapshot stored) {
        for (Group g : model.groups().values()) {
            ResolvedGroup kept = stored.groups().get(g.name());
            if (g.dynamic() && kept != null && kept.resolved() && kept.source().equals(g.source().orElseThrow().kind())) {
                lastGood.putIfAbsent(g.name(), new Kept(g.source().orElseThrow(), kept, kept.resolvedAt().orElseThrow()));
            }
        }
    }

    /** The directory {@code file} sources and {@code ca-file}s are read below. */
    public Path directory() {
        return directory;
    }

    /** The files the model's {@code file} sources read (a server watches them, so an edit refreshes at once). */
    public java.util.Set<Path> files(PolicyModel model) {
        return model.groups().values().stream().flatMap(g -> g.source().stream())
                .flatMap(s -> s instanceof GroupSource.File f ? sources().files().path(f).stream() : java.util.stream.Stream.empty())
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    /** When a group's last good answer runs out (a DNS TTL, else the source's refresh): the server asks again then. */
    public Optional<Instant> due(String group) {
        return Optional.ofNullable(lastGood.get(group)).map(Kept::due);
    }
}
