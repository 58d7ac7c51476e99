package dev.septum.model.load;

import dev.septum.model.SecondThread;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;

/**
 * Composes a directory's files on two threads while the caller reads them in order: a second
 * thread takes the largest file first, then the others in order; the caller composes any file it
 * needs that the second thread has not begun. A 10,000-rule compile spent about a third of its load
 * in SnakeYAML's composing and a fifth reading groups, so the policy file is parsed while the
 * groups are read, and the caller reads its rules while it waits ({@link EarlyRules}). Reading
 * stays on the caller's thread and in file order, so diagnostics and duplicate checks are exactly
 * as if each file were composed just before it is read.
 */
final class YamlComposer {
    private final List<String> files;
    private final List<String> texts;
    private final AtomicIntegerArray claimed;
    private final AtomicReferenceArray<CompletableFuture<ComposedYaml>> results;
    /** Each file's rules as the second thread hands them over, should it compose the file. */
    private final List<EarlyRules> handedOver;

    private YamlComposer(List<String> files, List<String> texts) {
        this.files = files;
        this.texts = texts;
        this.claimed = new AtomicIntegerArray(texts.size());
        this.results = new AtomicReferenceArray<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            results.set(i, new CompletableFuture<>());
        }
        this.handedOver = files.stream().map(EarlyRules::handedOver).toList();
    }

    /** Starts the second thread when there is more than one file. */
    static YamlComposer start(List<String> files, List<String> texts) {
        YamlComposer composer = new YamlComposer(List.copyOf(files), List.copyOf(texts));
        if (texts.size() > 1) {
            Thread.ofPlatform().name("septum-yaml-compose").daemon().start(composer::composeLargestFirst);
        }
        return composer;
    }

    private void composeLargestFirst() {
        // a lambda of this class, not Comparator.comparingInt(...).reversed(): the AOT cache keeps
        // this one, while the JDK's own lambdas inside Comparator are made anew on every start
        IntStream.range(0, texts.size()).boxed()
                .sorted((a, b) -> Integer.compare(texts.get(b).length(), texts.get(a).length()))
                .forEach(file -> {
                    if (claimed.compareAndSet(file, 0, 1)) {
                        SecondThread.complete(results.get(file), () -> ComposedYaml.of(texts.get(file), handedOver.get(file)));
                    }
                });
    }

    /**
     * The file's nodes, once: composed here unless the other thread began it, else its rules read
     * here while the other thread composes the rest; afterwards only the caller holds them.
     */
    ComposedYaml take(int file) {
        if (claimed.compareAndSet(file, 0, 1)) {
            results.get(file).complete(ComposedYaml.of(files.get(file), texts.get(file)));
        } else {
            handedOver.get(file).readHandedOver();
        }
        return SecondThread.join(results.getAndSet(file, null));
    }
}
