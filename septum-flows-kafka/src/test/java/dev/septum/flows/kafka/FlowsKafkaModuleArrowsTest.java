package dev.septum.flows.kafka;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** DESIGN.md: septum-flows-kafka sits on septum-flows (and the model) only, and uses the collector through its session rows. */
class FlowsKafkaModuleArrowsTest {
    private static final JavaClasses KAFKA = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.septum.flows.kafka");

    @Test
    void dependsOnTheFlowsModuleAndTheModelOnly() {
        noClasses().that().resideInAPackage("dev.septum.flows.kafka..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.septum.compile..", "dev.septum.verify..",
                        "dev.septum.cli..", "dev.septum.server..", "dev.septum.builder..", "dev.septum.deploy..",
                        "dev.septum.lab..", "dev.septum.resolve..", "picocli..", "tools.jackson..")
                .check(KAFKA);
    }

    @Test
    void takesSessionsFromTheTableNotFromSocketsOrDecoders() {
        noClasses().that().resideInAPackage("dev.septum.flows.kafka..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.septum.flows.collect..", "dev.septum.flows.decode..",
                        "dev.septum.flows.mirror..")
                .check(KAFKA);
    }
}
