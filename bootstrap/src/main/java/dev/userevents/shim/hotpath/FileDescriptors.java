package dev.userevents.shim.hotpath;

import java.io.FileDescriptor;
import java.lang.reflect.Field;

/** {@code java.io.FileDescriptor}s for descriptor numbers opened outside the JDK (needs {@code java.io} opened). */
final class FileDescriptors {
    private FileDescriptors() {
    }

    /** A FileDescriptor holding {@code fd}; it owns nothing: closing {@code fd} stays the opener's job. */
    static FileDescriptor of(int fd) throws ReflectiveOperationException {
        FileDescriptor descriptor = new FileDescriptor();
        Field fdField = FileDescriptor.class.getDeclaredField("fd");
        fdField.setAccessible(true);
        fdField.setInt(descriptor, fd);
        return descriptor;
    }
}
