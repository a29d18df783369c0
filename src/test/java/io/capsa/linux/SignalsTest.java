package io.capsa.linux;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SignalsTest {
    @Test
    void acceptsNamesWithAndWithoutSigAndNumbers() {
        assertEquals(15, Signals.parse("TERM"));
        assertEquals(15, Signals.parse("SIGTERM"));
        assertEquals(9, Signals.parse("kill"));
        assertEquals(10, Signals.parse("10"));
        assertEquals(35, Signals.parse("SIGRTMIN+1"));
        assertEquals(63, Signals.parse("RTMAX-1"));
    }

    @Test
    void refusesWhatIsNoSignal() {
        for (String bad : new String[] {"NOPE", "0", "65", "", "RTMIN+40", "RTMIN+x", "1099511627776",
                "99999999999999999999", "RTMIN-2147483648", "RTMIN+-1"}) {
            assertThrows(IllegalArgumentException.class, () -> Signals.parse(bad), bad);
        }
    }
}
