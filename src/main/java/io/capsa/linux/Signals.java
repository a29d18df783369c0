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

    /** "TERM", "SIGTERM", "term", "15", "SIGRTMIN+3" -> the signal number. */
    public static int parse(String text) {
        String s = text.strip().toUpperCase(Locale.ROOT);
        if (s.startsWith("SIG")) s = s.substring(3);
        if (digits(s)) {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= RTMAX) return n;
        } else if (s.startsWith("RTMIN")) {
            int n = RTMIN + offset(s.substring(5), text);
            if (n <= RTMAX) return n;
        } else if (s.startsWith("RTMAX")) {
            int n = RTMAX - offset(s.substring(5), text);
            if (n >= RTMIN) return n;
        } else {
            int n = s.equals("POLL") ? 29 : s.equals("IOT") ? 6 : NAMES.indexOf(s);
            if (n > 0) return n;
        }
        throw new IllegalArgumentException("unknown signal \"" + text + "\"");
    }

    /** A loop, not chars().allMatch: a stream's first use costs a CLI call a few ms. */
    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return !s.isEmpty();
    }

    private static int offset(String rest, String text) {
        if (rest.isEmpty()) return 0;
        try {
            return Math.abs(Integer.parseInt(rest));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unknown signal \"" + text + "\"");
        }
    }
}
