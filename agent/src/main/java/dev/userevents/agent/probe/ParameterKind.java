package dev.userevents.agent.probe;

import dev.userevents.shim.FieldType;
import net.bytebuddy.jar.asm.Opcodes;

/** How one Java parameter type becomes an event field, and which runtime call encodes it. */
public enum ParameterKind {
    /** {@code boolean} as a {@code u8}: 1 for true, 0 for false. */
    BOOLEAN(FieldType.U8, "putBoolean", "Z", Opcodes.ILOAD, 1),
    /** {@code byte} as an {@code s8}. */
    BYTE(FieldType.S8, "putByte", "B", Opcodes.ILOAD, 1),
    /** {@code short} as an {@code s16}. */
    SHORT(FieldType.S16, "putShort", "S", Opcodes.ILOAD, 1),
    /** {@code char} as a {@code u16}: the UTF-16 code unit. */
    CHAR(FieldType.U16, "putChar", "C", Opcodes.ILOAD, 1),
    /** {@code int} as an {@code s32}. */
    INT(FieldType.S32, "putInt", "I", Opcodes.ILOAD, 1),
    /** {@code long} as an {@code s64}. */
    LONG(FieldType.S64, "putLong", "J", Opcodes.LLOAD, 2),
    /** {@code float} as decimal text in a string field, 7 significant digits: the kernel has no float type. */
    FLOAT(FieldType.REL_LOC_STRING, "putFloat", "F", Opcodes.FLOAD, 1),
    /** {@code double} as decimal text in a string field, 15 significant digits. */
    DOUBLE(FieldType.REL_LOC_STRING, "putDouble", "D", Opcodes.DLOAD, 2),
    /** {@code String} as a {@code __rel_loc char[]} field: UTF-8, NUL-terminated; null is written "(null)". */
    STRING(FieldType.REL_LOC_STRING, "putString", "Ljava/lang/String;", Opcodes.ALOAD, 1),
    /**
     * Every other reference, arrays and enums included, as text in a string field: an enum by name, anything
     * else by {@code toString()}. Passed as Object so the verifier never has to load the parameter's class to
     * check the call.
     */
    OBJECT(FieldType.REL_LOC_STRING, "putObject", "Ljava/lang/Object;", Opcodes.ALOAD, 1);

    private final FieldType fieldType;
    private final String runtimeMethod;
    private final String runtimeArgumentDescriptor;
    private final int loadOpcode;
    private final int slots;

    ParameterKind(FieldType fieldType, String runtimeMethod, String runtimeArgumentDescriptor, int loadOpcode, int slots) {
        this.fieldType = fieldType;
        this.runtimeMethod = runtimeMethod;
        this.runtimeArgumentDescriptor = runtimeArgumentDescriptor;
        this.loadOpcode = loadOpcode;
        this.slots = slots;
    }

    /**
     * The kind of a parameter or return type, from its descriptor.
     *
     * @param descriptor a field descriptor (JVM specification 4.3.2): {@code I}, {@code Ljava/lang/String;},
     *     {@code [J}...; not {@code V}
     * @return the primitive's own kind, {@link #STRING} for {@code java.lang.String}, else {@link #OBJECT}
     */
    public static ParameterKind ofDescriptor(String descriptor) {
        return switch (descriptor) {
            case "Z" -> BOOLEAN;
            case "B" -> BYTE;
            case "S" -> SHORT;
            case "C" -> CHAR;
            case "I" -> INT;
            case "J" -> LONG;
            case "F" -> FLOAT;
            case "D" -> DOUBLE;
            case "Ljava/lang/String;" -> STRING;
            default -> OBJECT;
        };
    }

    /**
     * The event field type a value of this kind is written as.
     *
     * @return {@code u8}, {@code s8}, {@code s16}, {@code u16}, {@code s32} or {@code s64} for primitives;
     *     {@link FieldType#REL_LOC_STRING} for floats, doubles and references
     */
    public FieldType fieldType() {
        return fieldType;
    }

    /**
     * The {@code ProbeRuntime} method woven code calls to encode a value of this kind.
     *
     * @return e.g. {@code putInt}
     */
    public String runtimeMethod() {
        return runtimeMethod;
    }

    /**
     * The descriptor of the value argument of {@link #runtimeMethod()}.
     *
     * @return a field descriptor, e.g. {@code I} or {@code Ljava/lang/Object;}
     */
    public String runtimeArgumentDescriptor() {
        return runtimeArgumentDescriptor;
    }

    /**
     * The instruction that loads a local of this kind.
     *
     * @return {@code ILOAD}, {@code LLOAD}, {@code FLOAD}, {@code DLOAD} or {@code ALOAD}
     */
    public int loadOpcode() {
        return loadOpcode;
    }

    /**
     * The local-variable slots a value of this kind takes (JVM specification 2.6.1).
     *
     * @return 2 for long and double, else 1
     */
    public int slots() {
        return slots;
    }
}
