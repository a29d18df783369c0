package io.capsa.network;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubnetTest {
    @Test
    void cidrContainsAndOverlaps() {
        Subnet s = Subnet.parse("10.89.3.7/24");
        assertEquals("10.89.3.0/24", s.toString(), "host bits dropped, as docker does");
        assertTrue(s.contains(Subnet.address("10.89.3.255", "a")));
        assertFalse(s.contains(Subnet.address("10.89.4.0", "a")));
        assertTrue(s.overlaps(Subnet.parse("10.89.0.0/16")));
        assertTrue(Subnet.parse("10.89.0.0/16").overlaps(s));
        assertFalse(s.overlaps(Subnet.parse("10.89.4.0/24")));
        assertTrue(Subnet.parse("0.0.0.0/0").overlaps(s));
        assertEquals("10.89.3.1", Subnet.format(s.host(1)));
        assertEquals("10.89.3.254", Subnet.format(s.lastHost()));
        assertEquals("200.1.2.3", Subnet.format(Subnet.address("200.1.2.3", "a")), "no sign trouble above 127");
    }

    @Test
    void badOnesAreRefused() {
        assertEquals("invalid subnet \"10.0.0.0\": not in CIDR notation (address/prefix)",
                assertThrows(NetworkException.class, () -> Subnet.parse("10.0.0.0")).getMessage());
        assertEquals("invalid subnet \"10.0.0/8\": not an IPv4 address", assertThrows(NetworkException.class, () -> Subnet.parse("10.0.0/8")).getMessage());
        assertEquals("invalid subnet \"10.0.0.0/x\": bad prefix length", assertThrows(NetworkException.class, () -> Subnet.parse("10.0.0.0/x")).getMessage());
    }
}
