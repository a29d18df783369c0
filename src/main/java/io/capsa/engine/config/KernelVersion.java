package io.capsa.engine.config;

import io.capsa.linux.FileText;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** A kernel's major.minor, as seccomp profiles' minKernel compares them. */
public record KernelVersion(int major, int minor) {

    public static KernelVersion running() {
        try {
            return parse(FileText.read(Path.of("/proc/sys/kernel/osrelease")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "6.18.44-fc" or "4.8" -> 6.18 or 4.8: the digits before and after the first dot. */
    public static KernelVersion parse(String release) {
        int dot = release.indexOf('.');
        return new KernelVersion(number(release), dot < 0 ? 0 : number(release.substring(dot + 1)));
    }

    private static int number(String s) {
        int n = 0;
        for (int i = 0; i < s.length() && Character.isDigit(s.charAt(i)) && n < 100_000; i++) n = n * 10 + s.charAt(i) - '0';
        return n;
    }

    public boolean atLeast(KernelVersion other) {
        return major != other.major ? major > other.major : minor >= other.minor;
    }
}
