package dev.userevents.agent.weave;

import dev.userevents.shim.FieldType;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.jar.asm.Opcodes;

/** How one Java parameter type becomes an event field, and which runtime call encodes it. */
public enum ParameterKind {
    BOOLEAN(FieldType.U8, "putBoolean", "Z", Opcodes.ILOAD, 1),
    BYTE(FieldType.S8, "putByte", "B", Opcodes.ILOAD, 1),
    SHORT(FieldType.S16, "putShort", "S", Opcodes.ILOAD, 1),
    CHAR(FieldType.U16, "putChar", "C", Opcodes.ILOAD, 1),
    INT(FieldType.S32, "putInt", "I", Opcodes.ILOAD, 1),
    LONG(FieldType.S64, "putLong", "J", Opcodes.LLOAD, 2),
    FLOAT(FieldType.REL_LOC_STRING, "putFloat", "F", Opcodes.FLOAD, 1),
    DOUBLE(FieldType.REL_LOC_STRING, "putDouble", "D", Opcodes.DLOAD, 2),
    STRING(FieldType.REL_LOC_STRING, "putString", "Ljava/lang/String;", Opcodes.ALOAD, 1),
    /**
     * Every other reference, enums included (by name). Passed as Object so the verifier never has to load
     * the parameter's class to check the call.
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

    public static ParameterKind of(TypeDescription type) {
        if (type.represents(boolean.class)) {
            return BOOLEAN;
        } else if (type.represents(byte.class)) {
            return BYTE;
        } else if (type.represents(short.class)) {
            return SHORT;
        } else if (type.represents(char.class)) {
            return CHAR;
        } else if (type.represents(int.class)) {
            return INT;
        } else if (type.represents(long.class)) {
            return LONG;
        } else if (type.represents(float.class)) {
            return FLOAT;
        } else if (type.represents(double.class)) {
            return DOUBLE;
        } else if (type.represents(String.class)) {
            return STRING;
        }
        return OBJECT;
    }

    /** The same from a field descriptor ({@code I}, {@code Ljava/lang/String;}, {@code [J}...). */
    public static ParameterKind ofDescriptor(String descriptor) {
        switch (descriptor) {
            case "Z":
                return BOOLEAN;
            case "B":
                return BYTE;
            case "S":
                return SHORT;
            case "C":
                return CHAR;
            case "I":
                return INT;
            case "J":
                return LONG;
            case "F":
                return FLOAT;
            case "D":
                return DOUBLE;
            case "Ljava/lang/String;":
                return STRING;
            default:
                return OBJECT;
        }
    }

    public FieldType fieldType() {
        return fieldType;
    }

    String runtimeMethod() {
        return runtimeMethod;
    }

    String runtimeArgumentDescriptor() {
        return runtimeArgumentDescriptor;
    }

    int loadOpcode() {
        return loadOpcode;
    }

    int slots() {
        return slots;
    }
}
