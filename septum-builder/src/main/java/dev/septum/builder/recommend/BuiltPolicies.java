package dev.septum.builder.recommend;

import dev.septum.builder.tag.PolicySessionTagger;
import dev.septum.compile.pipeline.GroupResolver;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The build of the policy recommended on and its enforcing device's tagger, kept for the last
 * {@value #KEPT} policy versions: neither depends on the sessions, so runs on an unchanged policy
 * (the usual case: one policy, proposals over several windows or requests) build it once, and the
 * tagger's per-address classes stay warm. Keyed by the files' text, so any edit is a new entry.
 * Only policies resolved with {@link GroupResolver#STATIC}: a dynamic group's members can change
 * between runs without the files changing.
 */
final class BuiltPolicies {
    static final int KEPT = 2;

    record Built(PolicyBuild build, Optional<PolicySessionTagger> tagger) {
    }

    private record Key(String label, Map<String, String> files, Optional<String> device) {
    }

    private static final Map<Key, Built> KEPT_BUILDS = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Built> eldest) {
            return size() > KEPT;
        }
    };

    private BuiltPolicies() {
    }

    static Built of(String label, Map<String, String> policyFiles, GroupResolver resolver, Optional<String> device) {
        if (resolver != GroupResolver.STATIC) {
            return build(label, policyFiles, resolver, device);
        }
        Key key = new Key(label, new TreeMap<>(policyFiles), device);
        synchronized (KEPT_BUILDS) {
            Built kept = KEPT_BUILDS.get(key);
            if (kept != null) {
                return kept;
            }
        }
        // built outside the lock: two first runs on one policy may both build, the second's entry wins
        Built built = build(label, policyFiles, resolver, device);
        synchronized (KEPT_BUILDS) {
            KEPT_BUILDS.put(key, built);
        }
        return built;
    }

    private static Built build(String label, Map<String, String> policyFiles, GroupResolver resolver, Optional<String> device) {
        PolicyBuild build = PolicyBuild.of(PolicySource.files(label, policyFiles), resolver);
        return new Built(build, build.ok() ? PolicySessionTagger.of(build, device, "current") : Optional.empty());
    }
}
