package dev.septum.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands {@code bin/septum} runs on septum-cli.jar alone (its list, read from the launcher
 * itself) cannot meet a class that jar lacks: nothing their command classes can reach names a class
 * outside it and the JDK (ArchUnit, over the jar), and each one's help and real work answer through
 * the launcher as they do in process, which also runs what every call runs before its command
 * (main, picocli, the command table). Every other command's help answers on the class path the
 * launcher gives it. Runs in the package phase, after both jars and the AOT cache exist.
 */
class ShortCommandsJarTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path LAUNCHER = ROOT.resolve("bin/septum");
    private static final Path CLI_JAR = ROOT.resolve("septum-cli/target/septum-cli.jar");
    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));
    private static final String SEED_LAB = ROOT.resolve("examples/seed-lab").toString();
    /** A real call of each short command: the paths the launcher must carry through septum-cli.jar. */
    private static final Map<String, List<String>> REAL_CALLS = Map.of(
            "validate", List.of("validate", SEED_LAB),
            "ids", List.of("ids", SEED_LAB),
            "compile", List.of("compile", SEED_LAB),
            "trace", List.of("trace", SEED_LAB, "--src", "172.18.6.138", "--dst", "10.100.99.51", "--proto", "tcp", "--dport", "22"),
            "reach", List.of("reach", SEED_LAB));
    private static List<String> shortCommands;

    @BeforeAll
    static void theLaunchersList() throws IOException {
        assertThat(CLI_JAR).as("the packaged septum-cli.jar").isRegularFile();
        Matcher m = Pattern.compile("(?m)^\\s*([a-z|-]+)\\) class_path=\"\\$cli_jar\" ;;$").matcher(Files.readString(LAUNCHER));
        assertThat(m.find()).as("bin/septum's list of the commands it runs on septum-cli.jar").isTrue();
        shortCommands = List.of(m.group(1).split("\\|"));
    }

    @Test
    void noShortCommandCanReachAClassOutsideTheJarAndTheJdk() throws IOException {
        JavaClasses jar = importedWithoutTheClassPath();
        for (String name : shortCommands) {
            Class<?> command = Main.commandLine(name).getSubcommands().get(name).getCommandSpec().userObject().getClass();
            noClasses().that().belongToAnyOf(command)
                    .should().transitivelyDependOnClassesThat(outsideTheJarAndTheJdk())
                    .because("bin/septum runs '" + name + "' on septum-cli.jar alone: add the artifact to septum-cli/pom.xml's "
                            + "cli-jar execution or take the command out of bin/septum's list")
                    .check(jar);
        }
    }

    @Test
    void eachShortCommandAnswersThroughTheLauncherOnTheSmallJarAsInProcess(@TempDir Path tmp) throws Exception {
        assertThat(REAL_CALLS.keySet()).as("a real call for each of bin/septum's short commands").containsAll(shortCommands);
        for (String name : shortCommands) {
            Path arguments = tmp.resolve(name + ".log");
            ProcessRun help = launch(Map.of("SEPTUM_JAVA_OPTS", "-Xlog:arguments:file=" + arguments), name, "--help");
            assertThat(help).as(name + " --help").isEqualTo(new ProcessRun(0, CliRun.of(name, "--help").out(), ""));
            assertThat(Files.readString(arguments)).as(name + "'s class path").contains("java_class_path (initial): " + CLI_JAR + "\n");

            List<String> call = REAL_CALLS.get(name);
            CliRun inProcess = CliRun.of(call.toArray(String[]::new));
            ProcessRun real = launch(Map.of(), call.toArray(String[]::new));
            assertThat(real).as(String.join(" ", call)).isEqualTo(ProcessRun.of(inProcess));
        }
    }

    @Test
    void everyOtherCommandsHelpAnswersOnTheClassPathItGets() throws Exception {
        List<List<String>> calls = new ArrayList<>(List.of(List.of(), List.of("--help"), List.of("--version"), List.of("comple")));
        Subcommands.names().stream().filter(name -> !shortCommands.contains(name)).forEach(name -> calls.add(List.of(name, "--help")));
        for (List<String> call : calls) {
            CliRun inProcess = CliRun.of(call.toArray(String[]::new));
            ProcessRun r = launch(Map.of(), call.toArray(String[]::new));
            assertThat(r).as("septum " + String.join(" ", call)).isEqualTo(ProcessRun.of(inProcess));
        }
    }

    /** septum-cli.jar's classes alone: a class it lacks stays a stub without a source, not one found on the test's class path. */
    private static JavaClasses importedWithoutTheClassPath() throws IOException {
        ArchConfiguration config = ArchConfiguration.get();
        boolean resolving = config.resolveMissingDependenciesFromClassPath();
        config.setResolveMissingDependenciesFromClassPath(false);
        try (JarFile jarFile = new JarFile(CLI_JAR.toFile())) {
            return new ClassFileImporter().importJar(jarFile);
        } finally {
            config.setResolveMissingDependenciesFromClassPath(resolving);
        }
    }

    private static DescribedPredicate<JavaClass> outsideTheJarAndTheJdk() {
        return DescribedPredicate.describe("are neither in septum-cli.jar nor in the JDK", c -> {
            JavaClass type = c.getBaseComponentType();
            return !type.isPrimitive() && type.getSource().isEmpty() && !inTheJdk(type.getName());
        });
    }

    private static boolean inTheJdk(String className) {
        try {
            Class.forName(className, false, ClassLoader.getPlatformClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** bin/septum with {@code env}, on this build's JDK. */
    private static ProcessRun launch(Map<String, String> env, String... args) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("JAVA_HOME", JAVA_HOME.toString());
        return ProcessRun.of(LAUNCHER, all, args);
    }
}
