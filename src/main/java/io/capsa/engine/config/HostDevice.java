package io.capsa.engine.config;

import io.capsa.runtime.CapsaException;
import io.capsa.spec.Quoted;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A device node of the host (links followed, as Docker does for /dev/disk/by-id/...): its type, numbers, mode and owner. */
public record HostDevice(char type, long major, long minor, int mode, int uid, int gid) {
    private static final int S_IFMT = 0170000, S_IFCHR = 0020000, S_IFBLK = 0060000;

    public static HostDevice of(String flag, String path) {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(Path.of(path), "unix:mode,rdev,uid,gid");
        } catch (NoSuchFileException e) {
            throw new CapsaException(flag + ": " + Quoted.of(path) + ": no such file or directory");
        } catch (IOException e) {
            throw new CapsaException(flag + ": " + Quoted.of(path) + ": " + e.getMessage());
        }
        int mode = (Integer) a.get("mode");
        long rdev = (Long) a.get("rdev");
        char type = (mode & S_IFMT) == S_IFCHR ? 'c' : (mode & S_IFMT) == S_IFBLK ? 'b' : 0;
        if (type == 0) throw new CapsaException(flag + ": " + Quoted.of(path) + " is not a device");
        // glibc's gnu_dev_major and gnu_dev_minor
        long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
        long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
        return new HostDevice(type, major, minor, mode & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"));
    }

    public static HostDevice block(String flag, String path) {
        HostDevice d = of(flag, path);
        if (d.type != 'b') throw new CapsaException(flag + ": " + Quoted.of(path) + " is not a block device");
        return d;
    }

    /** A linux.devices entry that makes this device at path in the container. */
    Map<String, Object> node(String path) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.put("type", String.valueOf(type));
        m.put("major", major);
        m.put("minor", minor);
        m.put("fileMode", (long) mode);
        m.put("uid", (long) uid);
        m.put("gid", (long) gid);
        return m;
    }

    /** A device cgroup rule that allows it. */
    Map<String, Object> rule(String access) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("allow", true);
        m.put("type", String.valueOf(type));
        m.put("major", major);
        m.put("minor", minor);
        m.put("access", access);
        return m;
    }
}
