package io.capsa.engine;

/** A container port published on the host, as docker port prints it: "80/tcp -> 0.0.0.0:8080". */
public record PublishedPort(int containerPort, String protocol, String hostIp, int hostPort) {
    /** The container side: "80/tcp". */
    public String containerSide() {
        return containerPort + "/" + protocol;
    }

    /** The host side, as Go's net.JoinHostPort writes it: "0.0.0.0:8080", "[::]:8080". */
    public String hostSide() {
        return (hostIp.contains(":") ? "[" + hostIp + "]" : hostIp) + ":" + hostPort;
    }
}
