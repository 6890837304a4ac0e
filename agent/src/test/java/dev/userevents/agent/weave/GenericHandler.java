package dev.userevents.agent.weave;

import dev.userevents.Tracepoint;

/** A generic interface implemented with a concrete type: javac adds a bridge method carrying the annotation. */
public interface GenericHandler<T> {
    String handle(T value);

    class Upper implements GenericHandler<String> {
        @Tracepoint
        @Override
        public String handle(String value) {
            return value.toUpperCase(java.util.Locale.ROOT);
        }
    }
}
