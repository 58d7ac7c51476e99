package dev.septum.flows;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** DESIGN.md: septum-flows may depend on the model only, and the decoder on nothing above it. */
class FlowsModuleArrowsTest {
    private static final JavaClasses FLOWS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.septum.flows");

    @Test
    void flowsDependsOnNoModuleButTheModel() {
        noClasses().that().resideInAPackage("dev.septum.flows..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.septum.compile..", "dev.septum.verify..",
                        "dev.septum.cli..", "dev.septum.server..", "dev.septum.builder..", "dev.septum.deploy..",
                        "picocli..", "tools.jackson..")
                .check(FLOWS);
    }

    @Test
    void thePipelineOnlyPointsDownstream() {
        // socket -> decoder -> session table -> store/export: the decoder knows nothing of sessions or
        // storage, and the session table nothing of sockets or storage.
        noClasses().that().resideInAPackage("dev.septum.flows.decode..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.septum.flows.session..",
                        "dev.septum.flows.collect..", "dev.septum.flows.store..", "dev.septum.flows.export..")
                .check(FLOWS);
        noClasses().that().resideInAPackage("dev.septum.flows.mirror..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.septum.flows.session..",
                        "dev.septum.flows.collect..", "dev.septum.flows.store..", "dev.septum.flows.export..")
                .check(FLOWS);
        noClasses().that().resideInAPackage("dev.septum.flows.session..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.septum.flows.collect..",
                        "dev.septum.flows.store..", "dev.septum.flows.export..", "dev.septum.flows.decode..",
                        "dev.septum.flows.mirror..")
                .check(FLOWS);
    }
}
