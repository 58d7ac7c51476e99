import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.constant.ClassDesc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Build step of septum-cli (run by the JDK's source launcher): copies one dependency jar's class
 * files into the build's classes, those older than Java 6 re-emitted as Java 8 class files with
 * stack maps. picocli ships Java 5 class files, which the JDK's AOT cache refuses to store ("old
 * class"), so every command loaded and verified them with the old verifier on every start.
 * Only the class-file version and the stack maps change; the code is the same.
 *
 * Usage: java ModernClassFiles.java JAR PACKAGE_DIR OUTPUT_DIR   (e.g. picocli.jar picocli/ target/classes)
 */
public final class ModernClassFiles {
    private static final int OLDEST_KEPT = 50; // Java 6: the first version the AOT cache stores
    private static final int WRITTEN = 52; // Java 8: stack maps required, no fallback to the old verifier

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: ModernClassFiles JAR PACKAGE_DIR OUTPUT_DIR");
        }
        Path output = Path.of(args[2]);
        try (ZipFile jar = new ZipFile(args[0])) {
            ClassFile classFile = ClassFile.of(
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(type -> open(jar, type)))),
                    ClassFile.StackMapsOption.GENERATE_STACK_MAPS);
            List<String> problems = new ArrayList<>();
            int rewritten = 0;
            for (ZipEntry entry : Collections.list(jar.entries())) {
                if (entry.isDirectory() || !entry.getName().startsWith(args[1]) || !entry.getName().endsWith(".class")) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = jar.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                ClassModel model = classFile.parse(bytes);
                if (model.majorVersion() < OLDEST_KEPT) {
                    bytes = classFile.transformClass(model, ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                            .andThen((builder, element) -> {
                                if (element instanceof ClassFileVersion) {
                                    builder.withVersion(WRITTEN, 0);
                                } else {
                                    builder.with(element);
                                }
                            }));
                    classFile.verify(bytes).forEach(e -> problems.add(entry.getName() + ": " + e.getMessage()));
                    rewritten++;
                }
                Path target = output.resolve(entry.getName());
                Files.createDirectories(target.getParent());
                Files.write(target, bytes);
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException("re-emitted class files do not verify:\n" + String.join("\n", problems));
            }
            System.out.println("ModernClassFiles: " + rewritten + " class files of " + args[0] + " re-emitted as Java 8");
        }
    }

    private static InputStream open(ZipFile jar, ClassDesc type) {
        String descriptor = type.descriptorString();
        ZipEntry entry = jar.getEntry(descriptor.substring(1, descriptor.length() - 1) + ".class");
        try {
            return entry == null ? null : jar.getInputStream(entry);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
