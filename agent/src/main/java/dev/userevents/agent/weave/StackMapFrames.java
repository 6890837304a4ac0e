package dev.userevents.agent.weave;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import org.jspecify.annotations.Nullable;

/**
 * Stack map frame contents in ASM's notation (JVM specification 4.7.4), for the frames woven code writes by
 * hand: the writers never compute frames, which would need the class hierarchy, so loading classes.
 */
public final class StackMapFrames {
    private StackMapFrames() {
    }

    /**
     * The locals at a method's entry: {@code this} when it has one, then its parameters.
     *
     * @param owner      the class's internal name ({@code com/acme/Orders}) for an instance method; null for a
     *                   static one
     * @param descriptor the method's descriptor
     * @return one entry per local (a long or double is one entry, as frames count them)
     */
    public static List<Object> entryLocals(@Nullable String owner, String descriptor) {
        List<Object> locals = new ArrayList<>();
        if (owner != null) {
            locals.add(owner);
        }
        for (Type type : Type.getArgumentTypes(descriptor)) {
            locals.add(typeOf(type));
        }
        return locals;
    }

    /**
     * A value's type as a frame names it.
     *
     * @param type a Java type, not void
     * @return {@link Opcodes#INTEGER} for boolean, byte, short, char and int; {@link Opcodes#FLOAT},
     *     {@link Opcodes#LONG}, {@link Opcodes#DOUBLE}; else the internal name (a descriptor for arrays)
     */
    public static Object typeOf(Type type) {
        return switch (type.getSort()) {
            case Type.BOOLEAN, Type.BYTE, Type.SHORT, Type.CHAR, Type.INT -> Opcodes.INTEGER;
            case Type.FLOAT -> Opcodes.FLOAT;
            case Type.LONG -> Opcodes.LONG;
            case Type.DOUBLE -> Opcodes.DOUBLE;
            default -> type.getInternalName();
        };
    }
}
