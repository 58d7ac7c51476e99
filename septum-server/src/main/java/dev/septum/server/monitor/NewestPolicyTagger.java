package dev.septum.server.monitor;

import dev.septum.builder.tag.PolicySessionTagger;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.flows.tag.SessionTagger;
import dev.septum.server.build.StoredBuilds;
import dev.septum.server.store.PolicyStore;
import dev.septum.server.store.PolicyVersion;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tagger of the newest approved (or deployed) policy version; a pending one tags nothing. The flow store asks for it once per flush, so a
 * version imported or submitted by any route (or another server process on the same PostgreSQL)
 * tags the next flush, without the routes knowing the collector exists.
 */
public final class NewestPolicyTagger {
    private static final Logger LOG = LoggerFactory.getLogger(NewestPolicyTagger.class);

    private final PolicyStore policies;
    private volatile long versionId = -1;
    private volatile SessionTagger tagger = SessionTagger.NONE;
    private volatile String device = "";

    public NewestPolicyTagger(PolicyStore policies) {
        this.policies = policies;
    }

    /** The newest approved version's tagger; untagged while no approved version (or no enforcing device) exists. */
    public synchronized SessionTagger current() {
        try {
            Optional<PolicyVersion> head = policies.current();
            if (head.isPresent() && head.get().id() != versionId) {
                load(head.get().id());
            }
        } catch (RuntimeException e) {
            // a database hiccup must not stop the flush: keep tagging with the version in hand
            LOG.warn("cannot read the newest policy version; sessions stay tagged with version {}: {}", versionId, e.getMessage());
        }
        return tagger;
    }

    private void load(long id) {
        PolicyBuild build = StoredBuilds.version(policies, id);
        versionId = id;
        if (!build.ok()) {
            // stored versions are validated on the way in; one that is not cannot say what a session is
            LOG.warn("policy version {} has errors; sessions are stored untagged until a valid version", id);
            tagger = SessionTagger.NONE;
            device = "";
            return;
        }
        Optional<PolicySessionTagger> t = PolicySessionTagger.of(build, Optional.empty(), Long.toString(id));
        tagger = t.<SessionTagger>map(x -> x).orElse(SessionTagger.NONE);
        device = t.map(PolicySessionTagger::device).orElse("");
        LOG.info("tagging sessions with policy version {}{}", id, device.isEmpty() ? " (no enforcing device: untagged)"
                : " as enforced by " + device);
    }

    /** The version in use, empty before the first. */
    public Optional<Long> versionId() {
        long id = versionId;
        return id < 0 ? Optional.empty() : Optional.of(id);
    }

    /** The enforcing device whose matches decide; empty when none. */
    public String device() {
        return device;
    }
}
