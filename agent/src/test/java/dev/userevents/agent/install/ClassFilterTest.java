package dev.userevents.agent.install;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

/** Which classes may be woven: never the JDK's or the agent's own, then include globs minus exclude globs. */
class ClassFilterTest {

    private static ClassFilter filter(List<String> includes, List<String> excludes) {
        return new ClassFilter(includes, excludes);
    }

    private final ClassFilter everything = filter(List.of(), List.of());

    @Test
    void withoutPatternsApplicationClassesAreAccepted() {
        assertTrue(everything.accepts("com.acme.Orders"));
        assertTrue(everything.accepts("Main"));
        assertTrue(everything.accepts("dev.userevents.examples.OrderService"));
    }

    @Test
    void jdkClassesAreNeverWoven() {
        for (String name : List.of("java.lang.String", "javax.net.ssl.SSLContext", "jdk.internal.misc.Unsafe",
                "sun.misc.Unsafe", "com.sun.net.httpserver.HttpServer")) {
            assertFalse(everything.accepts(name), name);
        }
    }

    @Test
    void agentAndItsDependenciesAreNeverWoven() {
        for (String name : List.of("net.bytebuddy.ByteBuddy", "dev.userevents.agent.runtime.ProbeRuntime",
                "dev.userevents.shim.hotpath.NativeWords")) {
            assertFalse(everything.accepts(name), name);
        }
    }

    @Test
    void neverListMatchesWholePackageNamesOnly() {
        assertTrue(everything.accepts("javaapp.Main"));
        assertTrue(everything.accepts("sunrise.Clock"));
        assertTrue(everything.accepts("dev.userevents.agentx.Tool"));
    }

    @Test
    void refusalSaysWhyAndWhatToDo() {
        assertNull(everything.refusal("com.acme.Orders"));
        assertTrue(everything.refusal("java.util.ArrayList").contains("never weaves the JDK's classes"));
        String excluded = filter(List.of(), List.of("com.acme.*")).refusal("com.acme.Orders");
        assertTrue(excluded != null && excluded.contains("change include/exclude"), excluded);
        assertTrue(ClassFilter.prefixRefusal("java.util.").contains("remove it"));
        assertNull(ClassFilter.prefixRefusal("java"), "javafx2 or javaapp are application packages");
        assertNull(ClassFilter.prefixRefusal("com.acme."));
    }

    @Test
    void includingAJdkPackageStillNeverWeavesIt() {
        assertFalse(filter(List.of("java.*", "*"), List.of()).accepts("java.util.ArrayList"));
    }

    @Test
    void includeGlobLimitsWeavingToMatchingClasses() {
        ClassFilter acme = filter(List.of("com.acme.*"), List.of());

        assertTrue(acme.accepts("com.acme.Orders"));
        assertTrue(acme.accepts("com.acme.billing.Invoice"), "* spans package separators");
        assertFalse(acme.accepts("com.acmex.Orders"));
        assertFalse(acme.accepts("org.other.Orders"));
    }

    @Test
    void anyOfSeveralIncludesIsEnough() {
        ClassFilter two = filter(List.of("com.acme.*", "org.shop.Cart"), List.of());

        assertTrue(two.accepts("com.acme.Orders"));
        assertTrue(two.accepts("org.shop.Cart"));
        assertFalse(two.accepts("org.shop.CartItem"), "a glob without * matches the whole name only");
    }

    @Test
    void leadingStarMatchesAnyPrefix() {
        ClassFilter services = filter(List.of("*Service"), List.of());

        assertTrue(services.accepts("com.acme.OrderService"));
        assertTrue(services.accepts("Service"));
        assertFalse(services.accepts("com.acme.ServiceLocator"));
    }

    @Test
    void starInTheMiddleMatchesAnyRun() {
        ClassFilter middle = filter(List.of("com.*.api.*"), List.of());

        assertTrue(middle.accepts("com.acme.api.Client"));
        assertTrue(middle.accepts("com.a.b.api.Client"));
        assertFalse(middle.accepts("com.acme.impl.Client"));
    }

    @Test
    void loneStarMatchesEverything() {
        assertTrue(filter(List.of("*"), List.of()).accepts("anything.At.All"));
    }

    @Test
    void dotsAndDollarsInGlobsAreLiteral() {
        ClassFilter exact = filter(List.of("com.acme.Outer$Inner"), List.of());

        assertTrue(exact.accepts("com.acme.Outer$Inner"));
        assertFalse(exact.accepts("comXacme.Outer$Inner"));
        assertFalse(exact.accepts("com.acme.OuterInner"));
    }

    @Test
    void excludeWinsOverInclude() {
        ClassFilter filter = filter(List.of("com.acme.*"), List.of("com.acme.internal.*", "*Test"));

        assertTrue(filter.accepts("com.acme.Orders"));
        assertFalse(filter.accepts("com.acme.internal.Cache"));
        assertFalse(filter.accepts("com.acme.OrdersTest"));
    }

    @Test
    void excludeAloneLeavesEverythingElseIncluded() {
        ClassFilter filter = filter(List.of(), List.of("com.legacy.*"));

        assertTrue(filter.accepts("com.acme.Orders"));
        assertFalse(filter.accepts("com.legacy.Old"));
    }

    @Test
    void matcherJudgesATypeByItsName() {
        ClassFilter orders = filter(List.of("*Orders"), List.of());

        assertTrue(orders.matches(new TypeDescription.Latent("com.acme.Orders", 0, null)));
        assertFalse(orders.matches(new TypeDescription.Latent("com.acme.Invoices", 0, null)));
        assertFalse(everything.matches(TypeDescription.ForLoadedType.of(ClassFilterTest.class)), "the agent's own package");
    }
}
