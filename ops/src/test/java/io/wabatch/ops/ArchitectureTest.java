package io.wabatch.ops;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of docs/architecture.md, checked on the compiled classes of every module: ops
 * depends on the services, the services on common, nothing on ops; no service on another; the sandbox
 * on nothing of ours (it judges what the services send); no package cycles; every class in a package
 * of its own module. A change that breaks one fails the build with the offending dependency named.
 */
class ArchitectureTest {

    /** Root package of each module → the module's folder (and jar name). */
    static final Map<String, String> MODULES = Map.of(
            "io.wabatch.common", "common",
            "io.wabatch.upload", "upload-worker",
            "io.wabatch.sender", "sender-worker",
            "io.wabatch.webhook", "webhook-receiver",
            "io.wabatch.funnel", "campaign-funnel",
            "io.wabatch.sandbox", "sandbox",
            "io.wabatch.ops", "ops");
    private static final String[] SERVICES = {"upload", "sender", "webhook", "funnel"};

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.isJar() || location.contains("/wabatch-") && !location.contains("-tests.jar"))
                .importPackages("io.wabatch");
    }

    @Test
    void everyModuleIsOnTheClassPath() {
        for (String root : MODULES.keySet()) {
            assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith(root)))
                    .as("classes of %s imported", root).isTrue();
        }
    }

    @Test
    void commonDependsOnNoModuleOfOurs() {
        onlyOwnAndCommon("common").check(classes);
    }

    @Test
    void servicesDependOnlyOnCommonNeverOnEachOther() {
        for (String service : SERVICES) {
            onlyOwnAndCommon(service).check(classes);
        }
    }

    @Test
    void theSandboxDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("io.wabatch.sandbox..")
                .should().dependOnClassesThat().resideInAnyPackage(otherThan("sandbox"))
                .because("the sandbox judges what the services send: it must not share their code, or their bugs")
                .check(classes);
    }

    @Test
    void nothingDependsOnOps() {
        noClasses().that().resideOutsideOfPackage("io.wabatch.ops..")
                .should().dependOnClassesThat().resideInAPackage("io.wabatch.ops..")
                .because("ops (the command line, demo, bench) sits on top of every module")
                .check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.wabatch.(*).(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void everyClassLivesInAPackageOfItsOwnModule() {
        classes().should(liveInTheirModule()).check(classes);
    }

    /** Classes under {@code io.wabatch.<root>} depend on no other module's packages but common's. */
    private static ArchRule onlyOwnAndCommon(String root) {
        String[] others = MODULES.keySet().stream()
                .filter(p -> !p.equals("io.wabatch." + root) && !p.equals("io.wabatch.common"))
                .map(p -> p + "..").toArray(String[]::new);
        return noClasses().that().resideInAPackage("io.wabatch." + root + "..")
                .should().dependOnClassesThat().resideInAnyPackage(others)
                .because("services depend on common only; what two services share lives in common");
    }

    private static String[] otherThan(String root) {
        return MODULES.keySet().stream().filter(p -> !p.equals("io.wabatch." + root)).map(p -> p + "..")
                .toArray(String[]::new);
    }

    private static ArchCondition<JavaClass> liveInTheirModule() {
        return new ArchCondition<>("live in a package of their own module") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                String module = MODULES.entrySet().stream()
                        .filter(e -> item.getPackageName().equals(e.getKey())
                                || item.getPackageName().startsWith(e.getKey() + "."))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
                String source = item.getSource().map(s -> s.getUri().toString()).orElse("");
                boolean ok = module != null && (source.contains("/" + module + "/target/")
                        || source.contains("wabatch-" + module + "-") || module.equals("ops") && source.contains("/ops/"));
                events.add(new SimpleConditionEvent(item, ok, item.getName() + " (package " + item.getPackageName()
                        + ") is compiled from " + source + ", not module " + module));
            }
        };
    }
}
