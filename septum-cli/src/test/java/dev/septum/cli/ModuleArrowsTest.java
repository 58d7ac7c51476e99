package dev.septum.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The module arrows of DESIGN.md: dependencies point down only. Each row names a module's
 * package and the Septum packages it must never use (everything not below it).
 */
class ModuleArrowsTest {
    private static final JavaClasses SEPTUM = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.septum");

    @ParameterizedTest(name = "{0} does not depend on {1}")
    @CsvSource(delimiter = ';', value = {
        "dev.septum.model..;   dev.septum.compile.., dev.septum.verify.., dev.septum.flows.., dev.septum.builder.., dev.septum.deploy.., dev.septum.lab.., dev.septum.server.., dev.septum.cli.., dev.septum.resolve..",
        "dev.septum.compile..; dev.septum.verify.., dev.septum.flows.., dev.septum.builder.., dev.septum.deploy.., dev.septum.lab.., dev.septum.server.., dev.septum.cli.., dev.septum.resolve..",
        "dev.septum.verify..;  dev.septum.flows.., dev.septum.builder.., dev.septum.deploy.., dev.septum.lab.., dev.septum.server.., dev.septum.cli.., dev.septum.resolve..",
        "dev.septum.flows..;   dev.septum.compile.., dev.septum.verify.., dev.septum.builder.., dev.septum.deploy.., dev.septum.lab.., dev.septum.server.., dev.septum.cli.., dev.septum.resolve..",
        "dev.septum.builder..; dev.septum.deploy.., dev.septum.lab.., dev.septum.server.., dev.septum.cli..",
        "dev.septum.deploy..;  dev.septum.verify.., dev.septum.flows.., dev.septum.builder.., dev.septum.lab.., dev.septum.server.., dev.septum.cli.., dev.septum.resolve..",
        "dev.septum.lab..;     dev.septum.verify.., dev.septum.flows.., dev.septum.builder.., dev.septum.server.., dev.septum.cli.., dev.septum.resolve..",
        "dev.septum.resolve..; dev.septum.verify.., dev.septum.flows.., dev.septum.builder.., dev.septum.deploy.., dev.septum.lab.., dev.septum.server.., dev.septum.cli..",
        "dev.septum.server..;  dev.septum.lab.., dev.septum.cli..",
    })
    void dependenciesPointDownOnly(String module, String forbidden) {
        noClasses().that().resideInAPackage(module.trim())
                .should().dependOnClassesThat().resideInAnyPackage(split(forbidden))
                .check(SEPTUM);
    }

    @ParameterizedTest(name = "{0} stays free of the CLI and JSON libraries")
    @CsvSource({"dev.septum.model..", "dev.septum.compile..", "dev.septum.verify..", "dev.septum.builder.."})
    void coreModulesUseNoCliOrJsonLibrary(String module) {
        noClasses().that().resideInAPackage(module)
                .should().dependOnClassesThat().resideInAnyPackage("picocli..", "tools.jackson..")
                .check(SEPTUM);
    }

    /** DESIGN: drivers live in septum-deploy; the server wires them to its store and audit log, never speaks a device protocol itself. */
    @org.junit.jupiter.api.Test
    void deviceProtocolsStayInTheDriverModule() {
        noClasses().that().resideInAPackage("dev.septum.server..")
                .should().dependOnClassesThat().resideInAnyPackage("java.net.http..", "org.apache.sshd..")
                .check(SEPTUM);
    }

    /**
     * One pipeline: only {@code PolicyBuild} plans devices and renders config, so every consumer
     * reads the same build and nothing re-plans or re-renders behind a review.
     */
    @org.junit.jupiter.api.Test
    void onlyThePipelinePlansAndRenders() {
        noClasses().that().resideOutsideOfPackages("dev.septum.compile.pipeline..", "dev.septum.compile.plan..")
                .should().callMethod(dev.septum.compile.plan.DevicePlanner.class, "plan", dev.septum.model.PolicyModel.class)
                .orShould().callMethod(dev.septum.compile.plan.DevicePlanner.class, "plan", dev.septum.model.PolicyModel.class,
                        String.class)
                .orShould().callMethodWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                        com.tngtech.archunit.core.domain.properties.HasName.Predicates.name("render"))
                        .and(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                                com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                                        com.tngtech.archunit.base.DescribedPredicate.describe("a config renderer",
                                                (com.tngtech.archunit.core.domain.JavaClass c) ->
                                                        c.isAssignableTo(dev.septum.compile.render.ConfigRenderer.class))))))
                .check(SEPTUM);
    }

    private static String[] split(String packages) {
        return java.util.Arrays.stream(packages.split(",")).map(String::trim).toArray(String[]::new);
    }
}
