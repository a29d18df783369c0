package io.capsa.network;

import io.capsa.spec.Quoted;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One published port: host address ("" for all of them) and port (0 until a free one is picked) to the
 * container's port, for tcp, udp or sctp.
 */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {
    /**
     * docker run -p as docker reads it: {@code [IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]}, where either port may
     * be a range (of the same length) and an empty or missing host port means a free one.
     */
    public static List<PortMapping> parse(String spec) {
        String rest = spec, protocol = "tcp";
        int slash = rest.lastIndexOf('/');
        if (slash >= 0) {
            protocol = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
            if (!protocol.equals("tcp") && !protocol.equals("udp") && !protocol.equals("sctp"))
                throw invalid(spec, "unknown protocol " + Quoted.of(protocol) + " (tcp, udp or sctp)");
        }
        String ip = "", host = "";
        int lastColon = rest.lastIndexOf(':');
        String container = rest.substring(lastColon + 1);
        if (lastColon >= 0) {
            String front = rest.substring(0, lastColon);
            int colon = front.lastIndexOf(':');
            host = front.substring(colon + 1);
            if (colon >= 0) ip = front.substring(0, colon);
        }
        if (!ip.isEmpty()) {
            try {
                Subnet.address(ip, "host IP");
            } catch (NetworkException e) {
                throw invalid(spec, Quoted.of(ip) + " is not an IPv4 address");
            }
        }
        int[] containerPorts = range(spec, container, "container port");
        int[] hostPorts = host.isEmpty() ? null : range(spec, host, "host port");
        int count = containerPorts[1] - containerPorts[0] + 1;
        if (hostPorts != null && hostPorts[1] - hostPorts[0] + 1 != count)
            throw invalid(spec, "the host and container port ranges differ in length");
        List<PortMapping> mappings = new ArrayList<>();
        for (int i = 0; i < count; i++) mappings.add(new PortMapping(ip, hostPorts == null ? 0 : hostPorts[0] + i, containerPorts[0] + i, protocol));
        return mappings;
    }

    /** "80" or "8000-8010" as {first, last}. */
    private static int[] range(String spec, String text, String what) {
        int dash = text.indexOf('-');
        int first = port(spec, dash < 0 ? text : text.substring(0, dash), what);
        int last = dash < 0 ? first : port(spec, text.substring(dash + 1), what);
        if (last < first) throw invalid(spec, what + " range " + text + " ends before it starts");
        return new int[] {first, last};
    }

    private static int port(String spec, String text, String what) {
        int port = text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit) ? 0 : Integer.parseInt(text);
        if (port < 1 || port > 65535) throw invalid(spec, "invalid " + what + " " + Quoted.of(text) + " (1-65535)");
        return port;
    }

    private static NetworkException invalid(String spec, String why) {
        return new NetworkException("invalid port mapping " + Quoted.of(spec) + ": " + why);
    }

    PortMapping withHostPort(int port) {
        return new PortMapping(hostIp, port, containerPort, protocol);
    }

    /** Two mappings that would take the same host socket. */
    boolean clashes(PortMapping other) {
        return hostPort == other.hostPort && protocol.equals(other.protocol)
                && (hostIp.isEmpty() || other.hostIp.isEmpty() || hostIp.equals(other.hostIp));
    }

    /** As the portmap plugin takes it in runtimeConfig.portMappings. */
    Map<String, Object> toCni() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostPort", (long) hostPort);
        m.put("containerPort", (long) containerPort);
        m.put("protocol", protocol);
        if (!hostIp.isEmpty()) m.put("hostIP", hostIp);
        return m;
    }

    static PortMapping fromCni(Map<?, ?> m) {
        return new PortMapping(m.get("hostIP") instanceof String ip ? ip : "", ((Number) m.get("hostPort")).intValue(),
                ((Number) m.get("containerPort")).intValue(), (String) m.get("protocol"));
    }

    /** "0.0.0.0:8080->80/tcp", as docker ps shows it. */
    @Override
    public String toString() {
        return (hostIp.isEmpty() ? "0.0.0.0" : hostIp) + ":" + hostPort + "->" + containerPort + "/" + protocol;
    }
}
