package io.capsa.cgroups;

import io.capsa.linux.FileText;
import io.capsa.runtime.CapsaException;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A cgroup directory: writes that fail with the file, the value and the kernel's reason, and typed reads. */
public record CgroupDir(Path path) {

    public void write(String file, Object value) {
        Path f = path.resolve(file);
        try {
            FileText.write(f, String.valueOf(value));
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
            return FileText.read(path.resolve(file)).strip();
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
            List<String> kv = words(line);
            if (kv.size() == 2 && isInteger(kv.get(1))) values.put(kv.get(0), Long.parseLong(kv.get(1)));
        }
        return values;
    }

    /** The whitespace-separated words of s; by hand, as a first regex costs a fresh JVM a few ms. */
    public static List<String> words(String s) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= s.length(); i++) {
            boolean space = i == s.length() || Character.isWhitespace(s.charAt(i));
            if (space && start >= 0) {
                words.add(s.substring(start, i));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
        return words;
    }

    private static boolean isInteger(String s) {
        int i = s.startsWith("-") ? 1 : 0;
        if (i == s.length()) return false;
        for (; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }
}
