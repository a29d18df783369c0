package io.capsa.engine;

import io.capsa.runtime.CapsaException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** docker top's reading of ps's output: the container's rows, the command whole, threads with their process. */
class ProcessTableTest {
    /** This JVM, whose pid in its own namespace /proc tells: a process to look up that surely exists. */
    private static final int SELF = (int) ProcessHandle.current().pid();
    private static final String SELF_IN_NS = Integer.toString(io.capsa.linux.Proc.pidInItsNamespace(SELF));

    @Test
    void onlyTheContainersRowsAreKeptWithTheirPidInTheContainer() {
        String ps = """
                UID          PID    PPID  C STIME TTY          TIME CMD
                root           1       0  0 03:00 ?        00:00:01 /sbin/init splash
                root       %d       1  0 03:10 ?        00:00:00 sleep  1000   --with args
                """.formatted(SELF);
        ProcessTable t = ProcessTable.fromPs(ps, Set.of(SELF));
        assertEquals(List.of("UID", "PID", "NSPID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"), t.titles());
        assertEquals(List.of(List.of("root", Integer.toString(SELF), SELF_IN_NS, "1", "0", "03:10", "?", "00:00:00", "sleep  1000   --with args")),
                t.processes(), "the last column keeps the rest of the line");
    }

    @Test
    void threadRowsFollowTheirProcessOnly() {
        String ps = """
                  PID   LWP CMD
                    1     - init
                    -     1 -
                   %d     - java
                    -    77 -
                    -    78 -
                """.formatted(SELF);
        ProcessTable t = ProcessTable.fromPs(ps, Set.of(SELF));
        assertEquals(List.of(List.of(Integer.toString(SELF), SELF_IN_NS, "-", "java"), List.of("-", "-", "77", "-"),
                List.of("-", "-", "78", "-")), t.processes());
    }

    @Test
    void psOutputWithoutAPidColumnIsRefused() {
        CapsaException e = assertThrows(CapsaException.class, () -> ProcessTable.fromPs("STAT CMD\nS sleep\n", Set.of(1)));
        assertEquals("Couldn't find PID field in ps output", e.getMessage());
    }
}
