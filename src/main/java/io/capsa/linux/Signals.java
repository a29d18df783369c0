package io.capsa.linux;

import java.util.List;
import java.util.Locale;

/** Signal names and numbers on Linux x86_64/arm64, as kill(1) and runc accept them. */
public final class Signals {
    private Signals() {}

    private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS",
            "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP",
            "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");
    public static final int SIGKILL = 9, SIGTERM = 15;
    private static final int RTMIN = 34, RTMAX = 64;

    /**
     * "TERM", "SIGTERM", "term", "15", "SIGRTMIN+3" -> the signal number. Anything else throws "unknown
     * signal", or "invalid signal" for a number out of range; the caller echoes the text it gave.
     */
    public static int parse(String text) {
        String s = text.strip().toUpperCase(Locale.ROOT);
        if (s.startsWith("SIG")) s = s.substring(3);
        if (digits(s)) {
            int n = s.length() <= 9 ? Integer.parseInt(s) : 0; // longer ones could overflow an int
            if (n >= 1 && n <= RTMAX) return n;
            throw new IllegalArgumentException("invalid signal");
        } else if (s.startsWith("RTMIN")) {
            int n = RTMIN + offset(s.substring(5));
            if (n >= RTMIN && n <= RTMAX) return n;
        } else if (s.startsWith("RTMAX")) {
            int n = RTMAX - offset(s.substring(5));
            if (n >= RTMIN && n <= RTMAX) return n;
        } else {
            int n = s.equals("POLL") ? 29 : s.equals("IOT") ? 6 : NAMES.indexOf(s);
            if (n > 0) return n;
        }
        throw new IllegalArgumentException("unknown signal");
    }

    /** A loop, not chars().allMatch: a stream's first use costs a CLI call a few ms. */
    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return !s.isEmpty();
    }

    /** "+3" or "-3" after RTMIN or RTMAX -> 3; what is not such a small number, -1. */
    private static int offset(String rest) {
        if (rest.isEmpty()) return 0;
        String number = rest.substring(1);
        if ("+-".indexOf(rest.charAt(0)) < 0 || !digits(number) || number.length() > 2) return -1;
        return Integer.parseInt(number);
    }
}
