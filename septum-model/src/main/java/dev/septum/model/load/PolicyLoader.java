package dev.septum.model.load;

import dev.septum.model.PolicyModel;
import dev.septum.model.SourceLocation;
import dev.septum.model.validate.Diagnostic;
import dev.septum.model.validate.Diagnostics;
import dev.septum.model.validate.Severity;
import dev.septum.model.validate.ModelValidator;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.SequencedMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Loads a policy directory: every {@code *.yaml}/{@code *.yml} file in it (sorted by name, so the
 * order is stable), except {@code lab.yaml}, which describes a test topology. Each file may hold any
 * of the top-level sections; sections of the same kind from several files are merged.
 */
public final class PolicyLoader {
    /** Files in a policy directory that describe other things than the policy. */
    public static final String LAB_FILE = "lab.yaml";

    private final Diagnostics out = new Diagnostics();
    private final Sections sections = new Sections();
    private final UnparsedFiles unparsed = new UnparsedFiles();

    private PolicyLoader() {
    }

    /** Reads and validates a directory. I/O problems become diagnostics too. */
    public static LoadedPolicy loadDirectory(Path dir) {
        PolicyLoader loader = new PolicyLoader();
        if (!Files.isDirectory(dir)) {
            loader.out.error(SourceLocation.of(dir.toString()), "policy directory", "",
                    "does not exist or is not a directory", "pass the directory holding the policy YAML files");
            return loader.finish();
        }
        List<Path> files;
        try {
            files = policyFiles(dir);
        } catch (IOException e) {
            loader.out.error(SourceLocation.of(dir.toString()), "policy directory", "", "cannot be listed: " + e.getMessage(),
                    "check the directory's permissions");
            return loader.finish();
        }
        Map<String, String> texts = new LinkedHashMap<>();
        for (Path file : files) {
            try {
                texts.put(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            } catch (IOException e) {
                loader.out.error(SourceLocation.of(file.toString()), "file", "", "cannot be read: " + e.getMessage(),
                        "check the file's permissions");
            }
        }
        return loader.readAll(dir.toString(), texts);
    }

    /**
     * Reads and validates a policy directory held in memory (a stored version, a workspace): file
     * name to text, read exactly as {@link #loadDirectory} reads the same files on disk.
     */
    public static LoadedPolicy loadFiles(String label, Map<String, String> files) {
        Map<String, String> policyFiles = new java.util.TreeMap<>();
        files.forEach((name, text) -> {
            if (isPolicyFile(name)) {
                policyFiles.put(name, text);
            }
        });
        return new PolicyLoader().readAll(label, policyFiles);
    }

    /** Whether a file of a policy directory belongs to the policy: YAML, and not the lab's topology. */
    public static boolean isPolicyFile(String name) {
        String base = name.substring(name.lastIndexOf('/') + 1);
        return (base.endsWith(".yaml") || base.endsWith(".yml")) && !base.equals(LAB_FILE);
    }

    private LoadedPolicy readAll(String label, Map<String, String> files) {
        if (files.isEmpty() && !out.hasErrors()) {
            out.error(SourceLocation.of(label), "policy directory", "", "holds no .yaml files",
                    "add files with sections such as 'groups:' and 'policies:'");
        }
        List<String> names = List.copyOf(files.keySet());
        List<String> texts = List.copyOf(files.values());
        YamlComposer composer = YamlComposer.start(names, texts);
        for (int i = 0; i < names.size(); i++) {
            read(names.get(i), texts.get(i), composer.take(i));
        }
        return finish();
    }

    /**
     * The files of a directory this loader reads, in the order it reads them: every {@code *.yaml}
     * and {@code *.yml} but {@link #LAB_FILE}, sorted by name. Whatever identifies a policy
     * directory (a version hash) must cover exactly these.
     */
    public static List<Path> policyFiles(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(f -> isPolicyFile(f.getFileName().toString())).sorted().toList();
        }
    }

    /** Reads and validates YAML text, e.g. from an API body; {@code source} names it in diagnostics. */
    public static LoadedPolicy loadString(String source, String yaml) {
        PolicyLoader loader = new PolicyLoader();
        loader.read(source, yaml, ComposedYaml.of(source, yaml));
        return loader.finish();
    }

    private LoadedPolicy finish() {
        PolicyModel model = sections.model();
        Set<String> groupsWithBadPrefixes = out.sorted().stream()
                .filter(d -> d.severity() == Severity.ERROR && d.field().equals("prefixes"))
                .map(Diagnostic::object).collect(Collectors.toSet());
        // a group whose only prefixes were refused is not empty as written: its prefix errors say it all
        out.addAll(ModelValidator.validate(model, unparsed::mayDefine).stream()
                .filter(d -> !(d.severity() == Severity.WARNING && d.field().equals("prefixes")
                        && groupsWithBadPrefixes.contains(d.object())))
                .toList());
        unparsed.note(out);
        return new LoadedPolicy(model, out.sorted());
    }

    private void read(String file, String text, ComposedYaml composed) {
        if (composed.failure() instanceof MarkedYamlEngineException e) {
            SourceLocation at = e.getProblemMark()
                    .map(m -> new SourceLocation(file, m.getLine() + 1, m.getColumn() + 1))
                    .orElse(SourceLocation.of(file));
            out.error(at, "file", "", "is not valid YAML: " + e.getProblem(), "fix the YAML syntax at this position");
            unparsed.add(file, text, at);
            return;
        }
        if (composed.failure() != null) {
            out.error(SourceLocation.of(file), "file", "", "is not valid YAML: " + composed.failure().getMessage(),
                    "fix the YAML syntax");
            unparsed.add(file, text, SourceLocation.of(file));
            return;
        }
        Optional<Node> root = composed.root();
        if (root.isEmpty()) {
            return;
        }
        YamlFields top = new YamlFields(file, root.get(), "file " + file, out, composed.earlyRules());
        top.rejectUnknown(ModelKeys.TOP);
        collect(top, "domains", "domain", ObjectReaders::domain, sections.domains, d -> d.name(), d -> d.at());
        collect(top, "devices", "device", ObjectReaders::device, sections.devices, d -> d.name(), d -> d.at());
        collect(top, "groups", "group", ObjectReaders::group, sections.groups, g -> g.name(), g -> g.at());
        collect(top, "services", "service", ObjectReaders::service, sections.services, s -> s.name(), s -> s.at());
        collect(top, "redirects", "redirect", ObjectReaders::redirect, sections.redirects, r -> r.name(), r -> r.at());
        collect(top, "monitors", "monitor", ObjectReaders::monitor, sections.monitors, m -> m.name(), m -> m.at());
        collect(top, "policies", "policy", ObjectReaders::policy, sections.policies, p -> p.name(), p -> p.at());
    }

    private <T> void collect(YamlFields top, String key, String kind, Function<YamlFields, Optional<T>> reader,
                             Map<String, T> into, Function<T, String> name, Function<T, SourceLocation> at) {
        for (YamlFields y : top.objects(key, kind)) {
            reader.apply(y).ifPresent(object -> {
                T first = into.putIfAbsent(name.apply(object), object);
                if (first != null) {
                    out.error(at.apply(object), kind + " '" + name.apply(object) + "'", "name",
                            "is defined twice (first at " + at.apply(first) + ")",
                            "rename one of them or merge the two definitions");
                }
            });
        }
    }

    /** The objects read so far, by kind, in the order they were written. */
    private static final class Sections {
        final SequencedMap<String, dev.septum.model.SecurityDomain> domains = new LinkedHashMap<>();
        final SequencedMap<String, dev.septum.model.Device> devices = new LinkedHashMap<>();
        final SequencedMap<String, dev.septum.model.Group> groups = new LinkedHashMap<>();
        final SequencedMap<String, dev.septum.model.Service> services = new LinkedHashMap<>();
        final SequencedMap<String, dev.septum.model.RedirectObject> redirects = new LinkedHashMap<>();
        final SequencedMap<String, dev.septum.model.MonitorObject> monitors = new LinkedHashMap<>();
        final SequencedMap<String, dev.septum.model.Policy> policies = new LinkedHashMap<>();

        PolicyModel model() {
            return new PolicyModel(domains, devices, groups, services, redirects, monitors, policies);
        }
    }
}
