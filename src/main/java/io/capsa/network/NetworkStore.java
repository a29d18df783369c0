package io.capsa.network;

import io.capsa.linux.RandomIds;
import io.capsa.spec.Json;
import io.capsa.spec.Quoted;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The networks of a data root, one file each: {@code <data-root>/networks/NAME.conflist}. Callers hold the
 * network lock. The default network is written on first use, with a subnet free at that moment.
 */
final class NetworkStore {
    private static final String SUFFIX = ".conflist";

    private final Path dir;

    NetworkStore(Path dataRoot) {
        this.dir = dataRoot.resolve("networks");
    }

    /** All networks by name, the default one first made if it is not there. */
    List<NetworkConfig> list() {
        ensureDefault();
        return stored();
    }

    /** The networks written so far. */
    private List<NetworkConfig> stored() {
        List<NetworkConfig> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                if (f.getFileName().toString().endsWith(SUFFIX)) all.add(NetworkConfig.fromConflist(Json.read(f)));
            }
        } catch (NoSuchFileException e) {
            // a fresh data root
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return all;
    }

    /** By name, full ID or a unique ID prefix, as docker finds a network; the default one is made when named. */
    NetworkConfig find(String nameOrId) {
        if (nameOrId.equals(NetworkConfig.DEFAULT)) ensureDefault();
        List<NetworkConfig> all = stored();
        for (NetworkConfig n : all) if (n.name().equals(nameOrId) || n.id().equals(nameOrId)) return n;
        NetworkConfig found = null;
        for (NetworkConfig n : all) {
            if (!nameOrId.isEmpty() && n.id().startsWith(nameOrId)) {
                if (found != null) throw new NetworkException("network " + nameOrId + " is ambiguous (" + found.name() + ", " + n.name() + ")");
                found = n;
            }
        }
        if (found == null) throw new NetworkException("network " + nameOrId + " not found");
        return found;
    }

    /**
     * A new user network; subnet null picks a free /24. Everything is checked before the file is written: a
     * refused network leaves nothing (not even the default network, which keeps its name and pool for itself).
     */
    NetworkConfig create(String name, String subnetText, String gatewayText, boolean internal, Map<String, String> labels) {
        if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*"))
            throw new NetworkException("invalid network name " + Quoted.of(name) + ": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        List<NetworkConfig> all = stored();
        if (name.equals(NetworkConfig.DEFAULT)) throw new NetworkException("network with name " + name + " already exists");
        for (NetworkConfig n : all) if (n.name().equals(name)) throw new NetworkException("network with name " + name + " already exists");
        if (gatewayText != null && subnetText == null) throw new NetworkException("--gateway needs a --subnet to belong to");
        Subnet subnet;
        if (subnetText != null) {
            subnet = Subnet.parse(subnetText);
            if (subnet.prefix() > 30) throw new NetworkException("invalid subnet " + subnet + ": too small for a gateway and a container");
            for (NetworkConfig n : all) {
                if (n.subnet().overlaps(subnet)) throw new NetworkException("subnet " + subnet + " overlaps network " + n.name() + "'s " + n.subnet());
            }
            for (Subnet route : HostRoutes.read()) {
                if (route.overlaps(subnet)) throw new NetworkException("subnet " + subnet + " overlaps the host's route to " + route);
            }
        } else {
            subnet = freeSubnet(all, 0x0a590000, 0x0a63ff00, 24); // 10.89.0.0/24 .. 10.99.255.0/24
        }
        int gateway = subnet.host(1);
        if (gatewayText != null) {
            gateway = Subnet.address(gatewayText, "gateway " + Quoted.of(gatewayText));
            if (!subnet.contains(gateway) || gateway == subnet.base() || gateway > subnet.lastHost())
                throw new NetworkException("gateway " + gatewayText + " is not a host address of subnet " + subnet);
        }
        String id = RandomIds.next();
        return write(new NetworkConfig(name, id, "capsa-" + id.substring(0, 9), subnet, gateway, internal, labels, Instant.now().toString()));
    }

    void remove(NetworkConfig network) {
        try {
            Files.deleteIfExists(file(network.name()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove network " + network.name(), e);
        }
    }

    private void ensureDefault() {
        if (Files.exists(file(NetworkConfig.DEFAULT))) return;
        List<NetworkConfig> others = stored();
        Subnet subnet = bridgeSubnet(NetworkConfig.DEFAULT_BRIDGE);
        if (subnet != null) { // another data root's default network made it: the bridge and its subnet are the host's
            write(new NetworkConfig(NetworkConfig.DEFAULT, RandomIds.next(), NetworkConfig.DEFAULT_BRIDGE, subnet, subnet.host(1), false, Map.of(), Instant.now().toString()));
            return;
        }
        try {
            subnet = freeSubnet(others, 0x0a580000, 0x0a580000, 16); // 10.88.0.0/16, as podman's default
        } catch (NetworkException e) {
            subnet = freeSubnet(others, 0xac110000, 0xac1f0000, 16); // 172.17.0.0/16 .. 172.31.0.0/16, as docker's
        }
        write(new NetworkConfig(NetworkConfig.DEFAULT, RandomIds.next(), NetworkConfig.DEFAULT_BRIDGE, subnet, subnet.host(1), false, Map.of(), Instant.now().toString()));
    }

    /** The IPv4 subnet of a bridge that exists on the host (its gateway's address and prefix), else null. */
    private static Subnet bridgeSubnet(String bridge) {
        if (!Files.exists(Path.of("/sys/class/net", bridge))) return null;
        for (String line : HostCommand.ok("ip", "-4", "-o", "addr", "show", "dev", bridge).split("\n")) {
            String[] f = line.trim().split("\\s+");
            for (int i = 0; i + 1 < f.length; i++) {
                if (!f[i].equals("inet")) continue;
                return Subnet.parse(f[i + 1]); // the gateway's address/prefix: its network
            }
        }
        return null;
    }

    /** The first subnet from first to last (steps of its size) that overlaps neither a network nor a host route. */
    private static Subnet freeSubnet(List<NetworkConfig> networks, int first, int last, int prefix) {
        List<Subnet> taken = new ArrayList<>(HostRoutes.read());
        for (NetworkConfig n : networks) taken.add(n.subnet());
        int step = 1 << (32 - prefix);
        for (long base = first & 0xffffffffL; base <= (last & 0xffffffffL); base += step) {
            Subnet candidate = new Subnet((int) base, prefix);
            boolean free = true;
            for (Subnet t : taken) free &= !t.overlaps(candidate);
            if (free) return candidate;
        }
        throw new NetworkException("no free subnet left in " + new Subnet(first, prefix) + " .. " + new Subnet(last, prefix) + ": give one with --subnet");
    }

    private NetworkConfig write(NetworkConfig network) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + network.name() + ".tmp");
            Files.writeString(tmp, Json.pretty(network.toConflist()) + "\n");
            Files.move(tmp, file(network.name()), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write network " + network.name(), e);
        }
        return network;
    }

    private Path file(String name) {
        return dir.resolve(name + SUFFIX);
    }
}
