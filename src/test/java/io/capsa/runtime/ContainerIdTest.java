package io.capsa.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContainerIdTest {
    @Test
    void acceptsRuncStyleIds() {
        for (String id : new String[] {"web1", "a.b_c-d+e", "0"}) assertEquals(id, ContainerId.validate(id));
    }

    @Test
    void refusesIdsThatCouldLeaveTheStateRoot() {
        for (String id : new String[] {"", "..", "../x", "a/b", ".x", "a..b", "x".repeat(ContainerId.MAX_LENGTH + 1), "a b"}) {
            assertThrows(CapsaException.class, () -> ContainerId.validate(id), id);
            assertFalse(ContainerId.isValid(id), id);
        }
    }

    @Test
    void echoesABadIdEscapedOnOneLine() {
        CapsaException e = assertThrows(CapsaException.class, () -> ContainerId.validate("a\nb\u0000"));
        assertEquals("invalid container id \"a\\nb\\u0000\": use letters, digits and _ . + - only", e.getMessage());
    }
}
