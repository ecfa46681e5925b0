package org.ipmasq.agent;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.Arrays;
import java.util.stream.Stream;
import org.ipmasq.agent.cli.AgentOptions;
import org.ipmasq.agent.core.LayerViolationFixture;
import org.ipmasq.agent.core.Tally;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/architecture.md, as the production code imports them. A failure names the
 * offending class, the class it uses and the line. Test code is not checked: tests of an upper
 * layer may drive a backend through its fakes.
 */
class ArchitectureTest {

    private static final String ROOT = "org.ipmasq.agent";
    private static final String CONFIG = layer("config");
    private static final String EXEC = layer("exec");
    private static final String CORE = layer("core");
    private static final String KUBE = layer("kube");
    private static final String RUNTIME = layer("runtime");
    private static final String CLI = layer("cli");
    /** What the two Linux backends share (the original's rule comments); no backend of its own. */
    private static final String LINUX_SHARED = layer("backend.linux");
    private static final String IPTABLES = layer("backend.iptables");
    private static final String NFTABLES = layer("backend.nftables");
    private static final String HNS = layer("backend.hns");

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    private static String layer(String name) {
        return ROOT + "." + name + "..";
    }

    /** Classes of {@code layer} use nothing of the project outside {@code allowed} (their own layer is implied). */
    static ArchRule mayOnlyUse(String layer, String... allowed) {
        String[] own = Stream.concat(Stream.of(layer), Arrays.stream(allowed)).toArray(String[]::new);
        return classes().that().resideInAPackage(layer)
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(ROOT + "..").or(resideInAnyPackage(own)))
                .because("docs/architecture.md: " + layer + " may use only " + Arrays.toString(allowed));
    }

    static final ArchRule CONFIG_STANDS_ALONE = mayOnlyUse(CONFIG);
    static final ArchRule EXEC_STANDS_ALONE = mayOnlyUse(EXEC);
    static final ArchRule CORE_USES_CONFIG_AND_EXEC = mayOnlyUse(CORE, CONFIG, EXEC);
    static final ArchRule KUBE_USES_CORE_AND_CONFIG = mayOnlyUse(KUBE, CORE, CONFIG);
    static final ArchRule LINUX_SHARED_USES_THE_LOWER_LAYERS = mayOnlyUse(LINUX_SHARED, CORE, CONFIG, EXEC);
    static final ArchRule IPTABLES_IS_A_BACKEND = mayOnlyUse(IPTABLES, LINUX_SHARED, CORE, CONFIG, EXEC);
    static final ArchRule NFTABLES_IS_A_BACKEND = mayOnlyUse(NFTABLES, LINUX_SHARED, CORE, CONFIG, EXEC);
    static final ArchRule HNS_IS_A_BACKEND = mayOnlyUse(HNS, CORE, CONFIG, EXEC);

    static final ArchRule ONLY_THE_WIRING_KNOWS_THE_WIRING = noClasses()
            .that().resideOutsideOfPackages(RUNTIME, CLI)
            .should().dependOnClassesThat().resideInAnyPackage(RUNTIME, CLI)
            .because("runtime and cli wire everything; nothing below may reach up to them");

    /** A class outside every layer would escape all the rules above. */
    static final ArchRule EVERY_CLASS_IS_IN_A_LAYER = classes()
            .should().resideInAnyPackage(CONFIG, EXEC, CORE, KUBE, RUNTIME, CLI, LINUX_SHARED, IPTABLES, NFTABLES, HNS)
            .because("each package is one layer of docs/architecture.md");

    @Test
    void configAndExecDependOnNothingOfTheProject() {
        CONFIG_STANDS_ALONE.check(PRODUCTION);
        EXEC_STANDS_ALONE.check(PRODUCTION);
    }

    @Test
    void coreDependsOnConfigAndExecOnly() {
        CORE_USES_CONFIG_AND_EXEC.check(PRODUCTION);
    }

    @Test
    void kubeDependsOnCoreAndConfigOnly() {
        KUBE_USES_CORE_AND_CONFIG.check(PRODUCTION);
    }

    @Test
    void backendsDependOnCoreConfigAndExecAndNeverOnEachOther() {
        LINUX_SHARED_USES_THE_LOWER_LAYERS.check(PRODUCTION);
        IPTABLES_IS_A_BACKEND.check(PRODUCTION);
        NFTABLES_IS_A_BACKEND.check(PRODUCTION);
        HNS_IS_A_BACKEND.check(PRODUCTION);
    }

    @Test
    void onlyRuntimeAndCliUseRuntimeAndCli() {
        ONLY_THE_WIRING_KNOWS_THE_WIRING.check(PRODUCTION);
    }

    @Test
    void everyClassIsInALayer() {
        EVERY_CLASS_IS_IN_A_LAYER.check(PRODUCTION);
    }

    /** The rules can fail, and say who broke them: a core class (a test fixture) that uses the command line. */
    @Test
    void aViolationNamesTheOffendingClass() {
        JavaClasses withViolation = new ClassFileImporter().importClasses(LayerViolationFixture.class,
                AgentOptions.class);
        EvaluationResult result = CORE_USES_CONFIG_AND_EXEC.evaluate(withViolation);
        assertTrue(result.hasViolation());
        String report = result.getFailureReport().toString();
        assertTrue(report.contains(LayerViolationFixture.class.getName()), report);
        assertTrue(report.contains(AgentOptions.class.getName()), report);
        assertTrue(ONLY_THE_WIRING_KNOWS_THE_WIRING.evaluate(withViolation).hasViolation());
        // ...and stay quiet about a core class that keeps to its layer.
        assertFalse(CORE_USES_CONFIG_AND_EXEC.evaluate(new ClassFileImporter().importClasses(Tally.class))
                .hasViolation());
    }
}
