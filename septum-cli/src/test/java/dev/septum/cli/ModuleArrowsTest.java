package dev.septum.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module arrows of DESIGN.md: dependencies point down only, renderers never see the CLI. */
class ModuleArrowsTest {
    private static final JavaClasses SEPTUM = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.septum");

    @Test
    void modelDependsOnNoOtherModule() {
        noClasses().that().resideInAPackage("dev.septum.model..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.septum.compile..", "dev.septum.cli..")
                .check(SEPTUM);
    }

    @Test
    void compileDependsOnlyOnTheModel() {
        noClasses().that().resideInAPackage("dev.septum.compile..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.septum.cli..", "picocli..", "tools.jackson..")
                .check(SEPTUM);
    }

    @Test
    void theModelIsFreeOfCliAndJsonLibraries() {
        noClasses().that().resideInAPackage("dev.septum.model..")
                .should().dependOnClassesThat().resideInAnyPackage("picocli..", "tools.jackson..")
                .check(SEPTUM);
    }
}
