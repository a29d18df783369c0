package io.capsa.cgroups;

import io.capsa.runtime.CapsaException;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A cgroup directory: writes that fail with the file, the value and the kernel's reason, and typed reads. */
public record CgroupDir(Path path) {

    public void write(String file, Object value) {
        Path f = path.resolve(file);
        try {
            Files.writeString(f, String.valueOf(value));
        } catch (NoSuchFileException e) {
            throw new CapsaException("cgroup file " + f + " does not exist (controller or feature missing in this kernel)");
        } catch (FileSystemException e) {
            throw new CapsaException("write \"" + value + "\" to " + f + ": " + (e.getReason() != null ? e.getReason() : e));
        } catch (IOException e) {
            throw new CapsaException("write \"" + value + "\" to " + f + ": " + e.getMessage());
        }
    }

    public boolean has(String file) {
        return Files.exists(path.resolve(file));
    }

    public String read(String file) {
        try {
            return Files.readString(path.resolve(file)).strip();
        } catch (IOException e) {
            throw new CapsaException("read " + path.resolve(file) + ": " + e.getMessage());
        }
    }

    /** A number file; "max" (v2) reads as -1, as the spec writes unlimited. */
    public long number(String file) {
        String s = read(file);
        return s.equals("max") ? -1 : Long.parseLong(s);
    }

    /** A flat keyed file such as memory.stat or cpu.stat: "key value" per line. */
    public Map<String, Long> keyed(String file) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : read(file).split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2 && kv[1].matches("-?\\d+")) values.put(kv[0], Long.parseLong(kv[1]));
        }
        return values;
    }
}
