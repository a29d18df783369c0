package io.capsa.engine.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The container's device nodes and device cgroup rules, as Docker's over runc: deny all, mknod of any, the
 * standard devices (which the runtime adds), /dev/console and /dev/net/tun, each --device; with --privileged every device of the
 * host's /dev and no restriction.
 */
final class DeviceRules {
    private DeviceRules() {}

    /** Directories of /dev whose nodes are not the host's devices to hand out (moby's HostDevices skips them). */
    private static final List<String> SKIPPED = List.of("/dev/pts", "/dev/shm", "/dev/fd", "/dev/mqueue", "/dev/.lxc",
            "/dev/.lxd-mounts", "/dev/.udev");

    static void of(HostConfig h, List<Object> devices, List<Object> rules) {
        if (h.privileged()) {
            rules.add(Map.of("allow", true, "access", "rwm"));
            hostDevices(devices);
            return;
        }
        rules.add(Map.of("allow", false, "access", "rwm"));
        rules.add(Map.of("allow", true, "type", "c", "access", "m"));
        rules.add(Map.of("allow", true, "type", "b", "access", "m"));
        rules.add(Map.of("allow", true, "type", "c", "major", 5L, "minor", 1L, "access", "rwm")); // /dev/console
        rules.add(Map.of("allow", true, "type", "c", "major", 10L, "minor", 200L, "access", "rwm")); // /dev/net/tun
        for (HostConfig.DeviceMapping d : h.devices()) {
            HostDevice dev = HostDevice.of("--device", d.pathOnHost());
            devices.add(dev.node(d.pathInContainer()));
            rules.add(dev.rule(d.cgroupPermissions()));
        }
    }

    private static void hostDevices(List<Object> devices) {
        try (Stream<Path> all = Files.walk(Path.of("/dev"))) {
            all.filter(p -> !skipped(p)).forEach(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    if (!a.isOther() || p.toString().equals("/dev/console")) return;
                    devices.add(HostDevice.of("--privileged", p.toString()).node(p.toString()));
                } catch (IOException | RuntimeException e) {
                    // a socket, a fifo or a node gone meanwhile: not a device to hand out
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean skipped(Path p) {
        for (String s : SKIPPED) if (p.startsWith(s)) return true;
        return false;
    }
}
