package dev.userevents.agent.logs;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.jspecify.annotations.Nullable;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The Byte Buddy advice for Logback's and Log4j 2's logger classes: which template goes on which methods, and
 * what a framework version lacks. Their classes load in the application's own time, so the first use of Byte
 * Buddy (type pool, advice, {@code make()}, ~0.6 s cold on a 2-core host) is paid then, not at agent start.
 */
final class FrameworkAdvice {
    private static final String PACKAGE = "dev.userevents.agent.logs.";

    private final TypeDescription type;
    private final TypePool pool;
    private final ClassFileLocator locator;
    private final List<Step> plan = new ArrayList<>();
    private @Nullable String missing;

    /** One template on the methods {@code matcher} selects. */
    private record Step(ElementMatcher<? super MethodDescription> matcher, String template) {
    }

    private FrameworkAdvice(TypeDescription type, TypePool pool, ClassFileLocator locator) {
        this.type = type;
        this.pool = pool;
        this.locator = locator;
    }

    /**
     * Reads a Logback or Log4j logger class and plans its advice.
     *
     * @param className {@link LogBridgeTransformer#LOGBACK} or {@link LogBridgeTransformer#LOG4J}
     * @param classFile its class file
     * @param loader    its loader, or null for the bootstrap loader
     * @return the plan; {@link #missing()} says whether it can be applied
     */
    static FrameworkAdvice plan(String className, byte[] classFile, @Nullable ClassLoader loader) {
        ClassFileLocator framework = loader == null
            ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader);
        // The advice templates name the framework's types: described from the framework's loader, never loaded.
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(className, classFile),
            ClassFileLocator.ForClassLoader.of(FrameworkAdvice.class.getClassLoader()), framework);
        TypePool pool = TypePool.Default.of(locator);
        FrameworkAdvice weaving = new FrameworkAdvice(pool.describe(className).resolve(), pool, locator);
        switch (className) {
            case LogBridgeTransformer.LOGBACK -> {
                weaving.require("filterAndLog_0_Or3Plus", takesArguments(6), "LogbackAdvice$Params");
                weaving.require("filterAndLog_1", takesArguments(6), "LogbackAdvice$OneParam");
                weaving.require("filterAndLog_2", takesArguments(7), "LogbackAdvice$TwoParams");
                weaving.optional("log", takesArguments(1).and(takesArgument(0, named("org.slf4j.event.LoggingEvent"))),
                    "LogbackAdvice$Fluent");
            }
            case LogBridgeTransformer.LOG4J -> {
                weaving.require("logIfEnabled", shape("org.apache.logging.log4j.message.Message", "java.lang.Throwable"),
                    "Log4jAdvice$MessageArg");
                weaving.require("logIfEnabled", shape("org.apache.logging.log4j.util.MessageSupplier", "java.lang.Throwable"),
                    "Log4jAdvice$MessageSupplierArg");
                weaving.require("logIfEnabled", shape("org.apache.logging.log4j.util.Supplier", "java.lang.Throwable"),
                    "Log4jAdvice$SupplierArg");
                weaving.require("logIfEnabled", shape("java.lang.Object", "java.lang.Throwable"), "Log4jAdvice$ObjectArg");
                weaving.require("logIfEnabled", shape("java.lang.CharSequence", "java.lang.Throwable"),
                    "Log4jAdvice$CharSequenceArg");
                weaving.require("logIfEnabled", shape("java.lang.String"), "Log4jAdvice$StringArg");
                weaving.require("logIfEnabled", shape("java.lang.String", "java.lang.Throwable"),
                    "Log4jAdvice$StringThrowable");
                weaving.require("logIfEnabled", shape("java.lang.String", "java.lang.Object[]"), "Log4jAdvice$StringParams");
                weaving.require("logIfEnabled", shape("java.lang.String", "org.apache.logging.log4j.util.Supplier[]"),
                    "Log4jAdvice$StringSuppliers");
                weaving.require("logIfEnabled", takesArgument(3, named("java.lang.String"))
                    .and(takesArgument(4, named("java.lang.Object"))), "Log4jAdvice$StringObjects");
            }
            default -> throw new IllegalArgumentException(className + " is not a class the log bridge advises");
        }
        return weaving;
    }

    /**
     * What the class lacks.
     *
     * @return null when every required method is there; else the first one missing, for the log line
     */
    @Nullable String missing() {
        return missing;
    }

    /** {@code logIfEnabled(String fqcn, Level, Marker, <rest>)}. */
    private static ElementMatcher.Junction<MethodDescription> shape(String... rest) {
        ElementMatcher.Junction<MethodDescription> matcher = takesArguments(3 + rest.length);
        for (int i = 0; i < rest.length; i++) {
            matcher = matcher.and(takesArgument(3 + i, named(rest[i])));
        }
        return matcher;
    }

    private void require(String method, ElementMatcher.Junction<MethodDescription> shape, String template) {
        add(method, shape, template, true);
    }

    private void optional(String method, ElementMatcher.Junction<MethodDescription> shape, String template) {
        add(method, shape, template, false);
    }

    private void add(String method, ElementMatcher.Junction<MethodDescription> shape, String template,
                     boolean required) {
        ElementMatcher.Junction<MethodDescription> matcher = named(method).and(shape);
        if (type.getDeclaredMethods().filter(matcher).isEmpty()) {
            if (required && missing == null) {
                missing = "method " + method + " of the shape the bridge weaves";
            }
            return;
        }
        plan.add(new Step(matcher, template));
    }

    /**
     * Weaves the planned advice.
     *
     * @param word the address of the log events' shared enable word, bound to {@link LogWord}
     * @return the woven class file
     */
    byte[] apply(long word) {
        AsmVisitorWrapper.ForDeclaredMethods visitor = new AsmVisitorWrapper.ForDeclaredMethods();
        for (Step step : plan) {
            // by name: the templates name framework types the agent's own loader cannot load
            TypeDescription template = pool.describe(PACKAGE + step.template()).resolve();
            visitor = visitor.invokable(step.matcher(), Advice.withCustomMapping().bind(LogWord.class, word)
                .to(template, locator));
        }
        return new ByteBuddy()
            .with(TypeValidation.DISABLED)
            .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
            .with(Implementation.Context.Disabled.Factory.INSTANCE)
            .redefine(type, locator)
            .visit(visitor)
            .make()
            .getBytes();
    }
}
