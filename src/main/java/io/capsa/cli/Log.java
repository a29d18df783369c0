package io.capsa.cli;

import io.capsa.runtime.Rfc3339;
import io.capsa.spec.Json;
import io.capsa.spec.Quoted;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Errors go to stderr and, with --log, to the log file: logrus-style text, or one JSON object a line
 * ({"level","msg","time"}), whose last error line containerd reports. Every message is one line (Quoted.line).
 */
public final class Log {
    private final Path file;
    private final boolean json;
    private final boolean debug;

    public Log(Path file, String format, boolean debug) {
        this.file = file;
        this.json = "json".equals(format);
        this.debug = debug;
    }

    public void error(String message) {
        String line = Quoted.line(message);
        System.err.println("capsa: " + line);
        write("error", line);
    }

    public void warn(String message) {
        String line = Quoted.line(message);
        System.err.println("capsa: warning: " + line);
        write("warning", line);
    }

    public void debug(String message) {
        if (debug) write("debug", message);
    }

    private void write(String level, String message) {
        if (file == null) return;
        String time = Rfc3339.now();
        String line;
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("level", level);
            m.put("msg", message);
            m.put("time", time);
            line = Json.write(m);
        } else {
            line = "time=\"" + time + "\" level=" + level + " msg=\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("capsa: cannot write log " + file + ": " + e.getMessage());
        }
    }
}
