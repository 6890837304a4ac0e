package dev.userevents.shim;

/** A registered event: where to find it in tracefs, and the index its writes start with. */
public final class Registration {
    private final EventFormat format;
    private final EnableWord enableWord;
    private final int writeIndex;
    private final int flags;

    Registration(EventFormat format, EnableWord enableWord, int writeIndex, int flags) {
        this.format = format;
        this.enableWord = enableWord;
        this.writeIndex = writeIndex;
        this.flags = flags;
    }

    public EventFormat format() {
        return format;
    }

    public EnableWord enableWord() {
        return enableWord;
    }

    /** The u32 every write of this event starts with; an index into this file's events. */
    public int writeIndex() {
        return writeIndex;
    }

    /** The flags the kernel accepted: may lack flags the caller asked for if the kernel refused them. */
    public int flags() {
        return flags;
    }

    /** The tracefs system this event lives in. */
    public String system() {
        return (flags & UserEventsAbi.REG_MULTI_FORMAT) != 0 ? UserEventsAbi.MULTI_SYSTEM : UserEventsAbi.SYSTEM;
    }

    @Override
    public String toString() {
        return system() + ":" + format.name() + " (write index " + writeIndex + ", " + enableWord + ")";
    }
}
