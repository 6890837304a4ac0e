package dev.userevents.agent.logs;

import dev.userevents.agent.runtime.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import org.jspecify.annotations.Nullable;

/**
 * Weaves the bridge into the three logger classes, and nothing else: Logback's {@code
 * ch.qos.logback.classic.Logger} ({@link LogbackAdvice}) and Log4j 2's {@code
 * org.apache.logging.log4j.spi.AbstractLogger} ({@link Log4jAdvice}) with Byte Buddy's advice ({@link
 * FrameworkAdvice}), {@code java.util.logging.Logger} with plain ASM ({@link JulLoggerWeaver}: it is woven while
 * the agent starts, and Byte Buddy is not initialised for it). A class that lacks one of the methods the bridge
 * needs is a framework version the bridge does not support: one log line names it, and the class loads
 * unchanged. Never throws.
 */
final class LogBridgeTransformer implements ClassFileTransformer {
    static final String LOGBACK = "ch.qos.logback.classic.Logger";
    static final String LOG4J = "org.apache.logging.log4j.spi.AbstractLogger";
    static final String JUL = "java.util.logging.Logger";

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
        boolean jul = className.equals(JUL);
        // Only JUL is named here: FrameworkAdvice, and Byte Buddy with it, is loaded for the first Logback or Log4j.
        String missing = jul ? JulLoggerWeaver.missing(classFile) : null;
        FrameworkAdvice advice = jul ? null : FrameworkAdvice.plan(className, classFile, loader);
        if (advice != null) {
            missing = advice.missing();
        }
        if (missing != null) {
            AgentLog.warn("log bridge: " + className + " in this version has no " + missing
                + "; this framework's records are not bridged (Logback 1.3+, Log4j 2.17+ and the JDK's"
                + " java.util.logging are); the application is unaffected");
            return null;
        }
        long word = bridge.enableWord(loader);
        if (word == 0) {
            return null; // the kernel refused every log event (logged)
        }
        byte[] woven = advice == null ? JulLoggerWeaver.weave(classFile, word) : advice.apply(word);
        AgentLog.debug("log bridge: woven " + className);
        return woven;
    }
}
