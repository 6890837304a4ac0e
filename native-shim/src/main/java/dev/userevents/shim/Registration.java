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

    /**
     * What was registered.
     *
     * @return the format, as given to {@link UserEventsDataFile#register}
     */
    public EventFormat format() {
        return format;
    }

    /**
     * The word the kernel sets while a tracer listens.
     *
     * @return the enable word given at registration
     */
    public EnableWord enableWord() {
        return enableWord;
    }

    /**
     * The u32 every write of this event starts with ({@code write_index} of {@code struct user_reg}).
     *
     * @return an index into the events of the data file that registered it; valid only for writes to that file
     */
    public int writeIndex() {
        return writeIndex;
    }

    /**
     * The flags the kernel accepted: may lack flags the caller asked for if the kernel refused them.
     *
     * @return {@link UserEventsAbi#REG_PERSIST} and {@link UserEventsAbi#REG_MULTI_FORMAT} bits, or 0
     */
    public int flags() {
        return flags;
    }

    /**
     * The tracefs system this event lives in.
     *
     * @return {@link UserEventsAbi#MULTI_SYSTEM} when registered with {@link UserEventsAbi#REG_MULTI_FORMAT},
     *     else {@link UserEventsAbi#SYSTEM}
     */
    public String system() {
        return (flags & UserEventsAbi.REG_MULTI_FORMAT) != 0 ? UserEventsAbi.MULTI_SYSTEM : UserEventsAbi.SYSTEM;
    }

    @Override
    public String toString() {
        return system() + ":" + format.name() + " (write index " + writeIndex + ", " + enableWord + ")";
    }
}
