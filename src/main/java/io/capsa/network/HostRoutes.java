package io.capsa.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's IPv4 routes as the kernel has them now (/proc/net/route), read when a subnet is chosen: a network
 * whose subnet overlaps one would make part of the host's own network unreachable. The default route is no
 * destination of its own and is left out.
 */
final class HostRoutes {
    private HostRoutes() {}

    static List<Subnet> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/net/route"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the host's routes", e);
        }
        List<Subnet> routes = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8) continue;
            // Destination and Mask are hex in the kernel's (little-endian) byte order
            int destination = Integer.reverseBytes(Integer.parseUnsignedInt(f[1], 16));
            int prefix = Integer.bitCount(Integer.parseUnsignedInt(f[7], 16));
            if (prefix > 0) routes.add(new Subnet(destination, prefix));
        }
        return routes;
    }
}
