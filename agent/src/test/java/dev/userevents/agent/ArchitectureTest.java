package dev.userevents.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/NOTES.md, "Architecture", checked on the compiled main classes of the agent and the
 * native shim, so that the build keeps the structure the notes describe.
 */
class ArchitectureTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // Logback is on this module's test class path (the log bridge tests); ArchUnit would log every class at DEBUG.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.tngtech"))
            .setLevel(ch.qos.logback.classic.Level.WARN);
        main = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.userevents");
    }

    @Test
    void agentPackagesFormNoCycle() {
        slices().matching("dev.userevents.agent.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void theBootstrapPartDependsOnTheJdkAlone() {
        // Loaded into the bootstrap class loader, where no other class of ours (nor JNA, nor Byte Buddy) exists.
        classes().that().resideInAnyPackage("dev.userevents.agent.runtime", "dev.userevents.shim.hotpath")
            .should().onlyDependOnClassesThat().resideInAnyPackage(
                "dev.userevents.agent.runtime", "dev.userevents.shim.hotpath", "java..", "jdk.internal.misc",
                "sun.misc", "org.jspecify.annotations")
            .check(main);
    }

    @Test
    void theHotPathOfTheShimDoesNotReachTheRuntime() {
        noClasses().that().resideInAPackage("dev.userevents.shim.hotpath")
            .should().dependOnClassesThat().resideInAPackage("dev.userevents.agent..")
            .check(main);
    }

    @Test
    void theLauncherNamesTheImplementationOnlyByString() {
        // It runs in the application's class loader; the implementation lives in an isolated one.
        classes().that().resideInAPackage("dev.userevents.agent.launcher")
            .should().onlyDependOnClassesThat().resideInAnyPackage(
                "dev.userevents.agent.launcher", "java..", "jdk..", "sun..", "org.jspecify.annotations")
            .check(main);
    }

    @Test
    void theProbeModelKnowsNothingOfWeavingOrRegistration() {
        noClasses().that().resideInAPackage("dev.userevents.agent.probe")
            .should().dependOnClassesThat().resideInAnyPackage("dev.userevents.agent.weave", "dev.userevents.agent.registry",
                "dev.userevents.agent.backend", "dev.userevents.agent.install", "net.bytebuddy.description..")
            .check(main);
    }

    @Test
    void onlyTheInstallerAndTheCliSitOnTop() {
        noClasses().that().resideOutsideOfPackages("dev.userevents.agent.install", "dev.userevents.agent.launcher")
            .should().dependOnClassesThat().resideInAPackage("dev.userevents.agent.install")
            .check(main);
        noClasses().that().resideOutsideOfPackage("dev.userevents.agent.cli")
            .should().dependOnClassesThat().resideInAPackage("dev.userevents.agent.cli")
            .check(main);
    }
}
