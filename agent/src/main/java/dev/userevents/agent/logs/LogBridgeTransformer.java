package dev.userevents.agent.logs;

import dev.userevents.agent.runtime.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
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
 * Weaves the log advice into the three logger classes, and nothing else: Logback's {@code
 * ch.qos.logback.classic.Logger} ({@link LogbackAdvice}), Log4j 2's {@code
 * org.apache.logging.log4j.spi.AbstractLogger} ({@link Log4jAdvice}) and {@code java.util.logging.Logger}
 * ({@link JulAdvice}). A class that lacks one of the methods the bridge needs is a framework version the
 * bridge does not support: one log line names it, and the class loads unchanged. Never throws.
 */
final class LogBridgeTransformer implements ClassFileTransformer {
    static final String LOGBACK = "ch.qos.logback.classic.Logger";
    static final String LOG4J = "org.apache.logging.log4j.spi.AbstractLogger";
    static final String JUL = "java.util.logging.Logger";

    private static final String PACKAGE = "dev.userevents.agent.logs.";

    private final LogBridge bridge;

    LogBridgeTransformer(LogBridge bridge) {
        this.bridge = bridge;
    }

    static boolean isBridged(String className) {
        return className.equals(LOGBACK) || className.equals(LOG4J) || className.equals(JUL);
    }

    @Override
    public byte @Nullable [] transform(@Nullable ClassLoader loader, String internalName, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFile) {
        if (internalName == null || classFile == null) {
            return null;
        }
        String className = internalName.replace('/', '.');
        if (!isBridged(className)) {
            return null;
        }
        try {
            return weave(className, classFile, loader);
        } catch (Throwable e) {
            AgentLog.error("log bridge: could not weave " + className + ": " + e
                + "; its records are not bridged, the application is unaffected");
            return null;
        }
    }

    private byte @Nullable [] weave(String className, byte[] classFile, @Nullable ClassLoader loader) {
        ClassFileLocator framework = loader == null
            ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader);
        // The advice templates name the framework's types: described from the framework's loader, never loaded.
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(className, classFile),
            ClassFileLocator.ForClassLoader.of(LogBridgeTransformer.class.getClassLoader()), framework);
        TypePool pool = TypePool.Default.of(locator);
        TypeDescription type = pool.describe(className).resolve();
        Weaving weaving = new Weaving(type, pool);
        switch (className) {
            case LOGBACK -> {
                weaving.require("filterAndLog_0_Or3Plus", takesArguments(6), "LogbackAdvice$Params");
                weaving.require("filterAndLog_1", takesArguments(6), "LogbackAdvice$OneParam");
                weaving.require("filterAndLog_2", takesArguments(7), "LogbackAdvice$TwoParams");
                weaving.optional("log", takesArguments(1).and(takesArgument(0, named("org.slf4j.event.LoggingEvent"))),
                    "LogbackAdvice$Fluent");
            }
            case LOG4J -> {
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
            default -> { // JUL
                weaving.require("log", takesArgument(0, named("java.util.logging.Level")), "JulAdvice");
                weaving.require("logp", takesArgument(0, named("java.util.logging.Level")), "JulAdvice");
            }
        }
        if (weaving.missing != null) {
            AgentLog.warn("log bridge: " + className + " in this version has no " + weaving.missing
                + "; this framework's records are not bridged (Logback 1.3+, Log4j 2.17+ and the JDK's"
                + " java.util.logging are); the application is unaffected");
            return null;
        }
        long word = bridge.enableWord();
        if (word == 0) {
            return null; // the kernel refused every log event (logged)
        }
        byte[] woven = weaving.apply(word, locator);
        AgentLog.debug("log bridge: woven " + className);
        return woven;
    }

    /** {@code logIfEnabled(String fqcn, Level, Marker, <rest>)}. */
    private static ElementMatcher.Junction<MethodDescription> shape(String... rest) {
        ElementMatcher.Junction<MethodDescription> matcher = takesArguments(3 + rest.length);
        for (int i = 0; i < rest.length; i++) {
            matcher = matcher.and(takesArgument(3 + i, named(rest[i])));
        }
        return matcher;
    }

    /** The advice for one class: which template goes on which methods, and what is missing. */
    private static final class Weaving {
        private final TypeDescription type;
        private final TypePool pool;
        private final List<Step> plan = new ArrayList<>();
        @Nullable String missing;

        /** One template on the methods {@code matcher} selects. */
        private record Step(ElementMatcher<? super MethodDescription> matcher, String template) {
        }

        Weaving(TypeDescription type, TypePool pool) {
            this.type = type;
            this.pool = pool;
        }

        void require(String method, ElementMatcher.Junction<MethodDescription> shape, String template) {
            add(method, shape, template, true);
        }

        void optional(String method, ElementMatcher.Junction<MethodDescription> shape, String template) {
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

        byte[] apply(long word, ClassFileLocator locator) {
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
}
