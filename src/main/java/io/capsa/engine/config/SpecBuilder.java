package io.capsa.engine.config;

import io.capsa.spec.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** STUB until runspec lands. */
public final class SpecBuilder {
    private SpecBuilder() {}

    @SuppressWarnings("unchecked")
    public static Map<String, Object> build(SpecInput in) {
        try (InputStream s = SpecBuilder.class.getResourceAsStream("/io/capsa/spec/default-config.json")) {
            Map<String, Object> spec = (Map<String, Object>) Json.read(s, "default").raw();
            Map<String, Object> process = (Map<String, Object>) spec.get("process");
            List<String> args = new ArrayList<>();
            if (in.config().entrypoint() != null) args.addAll(in.config().entrypoint());
            if (in.config().cmd() != null) args.addAll(in.config().cmd());
            process.put("args", args);
            process.put("terminal", in.config().tty());
            if (in.config().env() != null) process.put("env", in.config().env());
            ((Map<String, Object>) spec.get("root")).put("path", in.rootfs().toString());
            ((Map<String, Object>) spec.get("root")).put("readonly", false);
            spec.put("hostname", in.id().substring(0, 12));
            return spec;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
