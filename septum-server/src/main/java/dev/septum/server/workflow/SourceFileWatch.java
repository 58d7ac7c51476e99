package dev.septum.server.workflow;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the directory the server's member files live in (and every directory below it), so an
 * edit to a file the newest approved version reads is refreshed at once instead of when its
 * {@code refresh} runs out. Directories are watched, not files: a script that writes a new file
 * and renames it over the old one is seen too, and so is a file that did not exist yet. Which
 * files matter is asked when something changes, so a newly approved version's files count at once.
 */
final class SourceFileWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SourceFileWatch.class);
    /** How often to look whether the watched directory exists yet. */
    private static final long ROOT_MILLIS = 1_000;
    /** A burst of events (write, then rename) ends when the directories have been quiet this long. */
    private static final long QUIET_MILLIS = 200;
    /** A file written without pause still refreshes after this many rounds of events. */
    private static final int MOST_ROUNDS = 100;
    /** Each watched directory takes an inotify watch; more than this many are not watched (the schedule still asks). */
    private static final int MOST_DIRECTORIES = 1_000;

    private final Path root;
    private final WatchService watcher;
    private final Supplier<Set<Path>> files;
    private final Consumer<Set<Path>> changed;
    private final Set<Path> watched = new HashSet<>();
    private final Thread thread;

    /**
     * Starts watching {@code root} before it returns.
     *
     * @param files   the member files that matter now
     * @param changed called on the watch thread with the files that matter and changed
     */
    SourceFileWatch(Path root, Supplier<Set<Path>> files, Consumer<Set<Path>> changed) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.watcher = FileSystems.getDefault().newWatchService();
        this.files = files;
        this.changed = changed;
        watchTree(this.root);
        this.thread = Thread.ofPlatform().name("source-file-watch").daemon(true).start(this::run);
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                if (watched.isEmpty()) {
                    watchTree(root);
                }
                Set<Path> hit = awaitQuiet(watcher.poll(ROOT_MILLIS, TimeUnit.MILLISECONDS));
                if (!hit.isEmpty()) {
                    changed.accept(hit);
                }
            } catch (InterruptedException | ClosedWatchServiceException stopped) {
                return;
            } catch (RuntimeException e) {
                // the next round tries again; one failure must not end the watch
                LOG.warn("watching the member files failed", e);
            }
        }
    }

    /** The files that matter named by {@code first} and by every event after it until the directories are quiet. */
    private Set<Path> awaitQuiet(WatchKey first) throws InterruptedException {
        Set<Path> touched = new TreeSet<>();
        WatchKey key = first;
        for (int round = 0; key != null && round < MOST_ROUNDS; round++) {
            Path dir = (Path) key.watchable();
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                    touched.add(dir);
                    continue;
                }
                Path path = dir.resolve((Path) event.context());
                touched.add(path);
                if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(path)) {
                    watchTree(path);
                }
            }
            if (!key.reset()) {
                watched.remove(dir);
            }
            key = watcher.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
        }
        if (touched.isEmpty()) {
            return Set.of();
        }
        Set<Path> hit = new TreeSet<>();
        // an overflowed directory may hold any of its files' changes
        files.get().stream().filter(f -> touched.contains(f) || touched.contains(f.getParent())).forEach(hit::add);
        return hit;
    }

    private void watchTree(Path top) {
        if (!Files.isDirectory(top)) {
            return;
        }
        try (Stream<Path> dirs = Files.walk(top)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                if (watched.size() >= MOST_DIRECTORIES) {
                    LOG.warn("more than {} directories below {}: the rest are not watched, their member files are asked on "
                            + "the schedule only", MOST_DIRECTORIES, root);
                    return;
                }
                if (watched.add(dir)) {
                    dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                            StandardWatchEventKinds.ENTRY_DELETE);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.warn("cannot watch {} ({}); its member files are asked on the schedule only", top, e.getMessage());
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            watcher.close();
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (IOException e) {
            LOG.warn("closing the member file watch: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
