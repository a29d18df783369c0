package io.capsa.network;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** docker run -p as docker reads it. */
class PortMappingTest {
    @Test
    void dockersForms() {
        assertEquals(List.of(new PortMapping("", 8080, 80, "tcp")), PortMapping.parse("8080:80"));
        assertEquals(List.of(new PortMapping("127.0.0.1", 8080, 80, "tcp")), PortMapping.parse("127.0.0.1:8080:80"));
        assertEquals(List.of(new PortMapping("", 8080, 80, "udp")), PortMapping.parse("8080:80/udp"));
        assertEquals(List.of(new PortMapping("", 0, 80, "tcp")), PortMapping.parse("80"), "a free host port");
        assertEquals(List.of(new PortMapping("127.0.0.1", 0, 53, "udp")), PortMapping.parse("127.0.0.1::53/udp"));
        assertEquals(List.of(new PortMapping("", 8000, 80, "tcp"), new PortMapping("", 8001, 81, "tcp")), PortMapping.parse("8000-8001:80-81"));
        assertEquals(List.of(new PortMapping("", 0, 80, "sctp"), new PortMapping("", 0, 81, "sctp")), PortMapping.parse("80-81/sctp"));
        assertEquals("127.0.0.1:8080->80/tcp", PortMapping.parse("127.0.0.1:8080:80").getFirst().toString());
    }

    @Test
    void malformedOnesAreRefusedInOneLine() {
        refused("invalid port mapping \"8080:\": invalid container port \"\" (1-65535)", "8080:");
        refused("invalid port mapping \"x:80\": invalid host port \"x\" (1-65535)", "x:80");
        refused("invalid port mapping \"8080:70000\": invalid container port \"70000\" (1-65535)", "8080:70000");
        refused("invalid port mapping \"80/icmp\": unknown protocol \"icmp\" (tcp, udp or sctp)", "80/icmp");
        refused("invalid port mapping \"localhost:8080:80\": \"localhost\" is not an IPv4 address", "localhost:8080:80");
        refused("invalid port mapping \"8000-8002:80-81\": the host and container port ranges differ in length", "8000-8002:80-81");
        refused("invalid port mapping \"90-80\": container port range 90-80 ends before it starts", "90-80");
    }

    private static void refused(String expected, String spec) {
        assertEquals(expected, assertThrows(NetworkException.class, () -> PortMapping.parse(spec)).getMessage());
    }
}
