package dev.userevents.agent.safety;

import java.util.List;

/**
 * What {@code com.example.safety.CollectorApp}'s two {@code collect_all} events look like to each reader: the
 * kernel's {@code trace} file and trace-cmd. Written from the rules each follows, for the values the app sends
 * (CollectorApp.emitAll), so a test compares whole lines.
 */
final class CollectorEvents {
    private CollectorEvents() {
    }

    /**
     * As {@code trace} prints them: {@code print_fields()} in 6.12's {@code kernel/trace/trace_output.c}. A
     * 1-byte field is {@code (%d)} of its unsigned value, after {@code '%c'} when printable; 2 bytes
     * {@code 0x%x (%d)} unsigned; 4 and 8 bytes {@code 0x%x (%d)}, signed in the brackets; strings as their bytes.
     */
    static final List<String> TRACE = List.of(
        "tiny=(128) small=0xfed4 (65236) medium=0xfffeee90 (-70000) big=0x" + Long.toHexString(-5_000_000_000L)
            + " (-5000000000) yes=(1) no=(0) letter=0xe9 (233) ratio=0.25 who=who-\u00e9-29-\u2713 payment=CARD",
        "tiny='A'(65) small=0x7fff (32767) medium=0x80000000 (-2147483648) big=0x7fffffffffffffff"
            + " (9223372036854775807) yes=(0) no=(1) letter=0x5a (90) ratio=-1.5 who=(null) payment=CASH");

    /**
     * As {@code trace-cmd report} (3.1.6, Debian 12) prints them: the event's {@code print fmt}
     * ({@code user_event_set_print_fmt()} in 6.12's {@code kernel/trace/trace_events_user.c}: {@code %d} for
     * s8/s16/s32, {@code %lld} for s64, {@code %u} for u8/u16, {@code %s} of {@code __get_rel_str()} for strings)
     * applied by libtraceevent, which does not sign-extend a 1- or 2-byte field for {@code %d}: s8 -128 shows as
     * 128 and s16 -300 as 65236 (as in {@code trace}); 4- and 8-byte fields show signed.
     */
    static final List<String> TRACE_CMD = List.of(
        "tiny=128 small=65236 medium=-70000 big=-5000000000 yes=1 no=0 letter=233 ratio=0.25 who=who-\u00e9-29-\u2713"
            + " payment=CARD",
        "tiny=65 small=32767 medium=-2147483648 big=9223372036854775807 yes=0 no=1 letter=90 ratio=-1.5 who=(null)"
            + " payment=CASH");
}
