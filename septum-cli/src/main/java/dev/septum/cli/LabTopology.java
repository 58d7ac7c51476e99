package dev.septum.cli;

import dev.septum.lab.LabSpec;
import dev.septum.lab.LabSpecLoader;
import dev.septum.model.Platform;
import dev.septum.model.PolicyModel;
import dev.septum.verify.EnforcementGaps.Endpoint;
import dev.septum.verify.EnforcementGaps.Segment;
import dev.septum.verify.analysis.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The topology next to a policy ({@code lab.yaml}) as the verification engine needs it: the
 * device whose policy the lab enforces, and the bridges whose hosts reach each other without
 * crossing it. A bridge counts as enforced when its device is an nftables device of the policy.
 */
record LabTopology(String enforcingDevice, List<Segment> unenforced) implements Topology {
    static Optional<LabTopology> next(Path policyDir, PolicyModel model) {
        if (!Files.exists(policyDir.resolve(LabSpecLoader.FILE))) {
            return Optional.empty();
        }
        LabSpec spec = LabSpecLoader.load(policyDir);
        List<Segment> segments = spec.bridges().stream()
                .filter(b -> !enforced(model, b.device()))
                .map(b -> new Segment("bridge " + b.name(), spec.hosts().stream()
                        .filter(h -> h.bridge().filter(b.name()::equals).isPresent())
                        .map(h -> new Endpoint(h.name(), h.address(), spec.subnet(h.subnet()).orElseThrow().prefix()))
                        .toList()))
                .toList();
        return Optional.of(new LabTopology(spec.policyDevice(), segments));
    }

    private static boolean enforced(PolicyModel model, String device) {
        return Optional.ofNullable(model.devices().get(device)).filter(d -> d.platform() == Platform.NFTABLES)
                .filter(d -> model.domainOf(d).isPresent()).isPresent();
    }

    @Override
    public Optional<Segment> shared(inet.ipaddr.IPAddress a, inet.ipaddr.IPAddress b) {
        return unenforced.stream().filter(s -> endpoint(s, a).flatMap(ea -> endpoint(s, b).filter(eb -> s.bypasses(ea, eb)))
                .isPresent()).findFirst();
    }

    private static Optional<Endpoint> endpoint(Segment s, inet.ipaddr.IPAddress address) {
        return s.endpoints().stream().filter(e -> e.address().withoutPrefixLength().equals(address.withoutPrefixLength()))
                .findFirst();
    }
}
