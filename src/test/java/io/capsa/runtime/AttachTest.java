package io.capsa.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AttachTest {
    @Test
    void detachKeysAreDockersCtrlPCtrlQByDefault() {
        assertArrayEquals(new byte[] {0x10, 0x11}, Attach.detachKeys(null));
        assertArrayEquals(new byte[] {0x10, 0x11}, Attach.detachKeys(""));
    }

    @Test
    void detachKeysInDockersSyntax() {
        assertArrayEquals(new byte[] {'a', 0x01, 0x00, 27, 28, 29, 30, 31}, Attach.detachKeys("a,ctrl-a,ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_"));
        assertArrayEquals(new byte[] {0x1a}, Attach.detachKeys("ctrl-Z"));
    }

    @Test
    void unknownDetachKeysAreRefusedInOneLine() {
        for (String keys : new String[] {"ab", "ctrl-1", "ctrl-", "shift-a", "é", "a,,b"}) {
            CapsaException e = assertThrows(CapsaException.class, () -> Attach.detachKeys(keys), keys);
            assertEquals(1, e.getMessage().lines().count());
        }
    }
}
