package io.capsa.image.archive;

import io.capsa.image.ImageException;
import io.capsa.spec.Json;
import io.capsa.spec.Node;
import io.capsa.spec.SpecException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Dockerfile instructions `docker import --change` applies to a new image's config: CMD, ENTRYPOINT,
 * ENV, EXPOSE, LABEL, USER, WORKDIR, VOLUME, STOPSIGNAL. CMD, ENTRYPOINT and VOLUME take the JSON form
 * (["sh", "-c"]) or the shell form (run by /bin/sh -c; for VOLUME, words); ENV and LABEL take key=value
 * pairs with Dockerfile quoting, ENV also the old "ENV key value".
 */
final class ConfigChanges {
    /** The config's "config" object, in the keys and shapes of Docker's image config. */
    private final Map<String, Object> config;

    ConfigChanges() {
        this(Map.of());
    }

    /** Changes to a config (its lists and maps copied, not changed). */
    ConfigChanges(Map<String, Object> base) {
        config = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : base.entrySet()) {
            Object v = e.getValue();
            config.put(e.getKey(), v instanceof List<?> l ? new ArrayList<>(l) : v instanceof Map<?, ?> m ? new LinkedHashMap<>(m) : v);
        }
    }

    Map<String, Object> config() {
        return config;
    }

    void apply(String change) {
        String text = change.strip();
        int space = indexOfSpace(text);
        String instruction = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        String rest = space < 0 ? "" : text.substring(space).strip();
        if (rest.isEmpty()) throw refused(change, instruction + " needs an argument");
        switch (instruction) {
            case "CMD" -> config.put("Cmd", command(rest));
            case "ENTRYPOINT" -> config.put("Entrypoint", command(rest));
            case "ENV" -> env(change, rest);
            case "LABEL" -> map("Labels").putAll(pairs(change, rest));
            case "EXPOSE" -> {
                for (String port : words(change, rest)) map("ExposedPorts").put(port(change, port), Map.of());
            }
            case "VOLUME" -> {
                List<String> volumes = rest.startsWith("[") ? jsonArray(change, rest) : words(change, rest);
                for (String volume : volumes) map("Volumes").put(volume, Map.of());
            }
            case "USER" -> config.put("User", rest);
            case "WORKDIR" -> config.put("WorkingDir", rest);
            case "STOPSIGNAL" -> config.put("StopSignal", rest);
            default -> throw refused(change, "unsupported instruction " + instruction
                    + " (supported: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR, VOLUME, STOPSIGNAL)");
        }
    }

    private static List<String> command(String rest) {
        if (rest.startsWith("[")) {
            try {
                return Json.parse(rest, "").strings();
            } catch (SpecException e) {
                // not a JSON array of strings: Docker runs it as a shell command, and so does this
            }
        }
        return List.of("/bin/sh", "-c", rest);
    }

    private static List<String> jsonArray(String change, String rest) {
        try {
            List<String> items = new ArrayList<>();
            for (Node n : Json.parse(rest, "").list()) items.add(n.requiredString());
            return items;
        } catch (SpecException e) {
            throw refused(change, "not a JSON array of strings");
        }
    }

    private void env(String change, String rest) {
        Map<String, String> vars;
        int space = indexOfSpace(rest);
        if (rest.indexOf('=') < 0 || space >= 0 && rest.indexOf('=') > space) { // the old form: ENV key value
            if (space < 0) throw refused(change, "ENV needs a value");
            vars = Map.of(rest.substring(0, space), String.join("", split(change, rest.substring(space).strip(), false)));
        } else vars = pairs(change, rest);
        @SuppressWarnings("unchecked") List<String> env = (List<String>) config.computeIfAbsent("Env", k -> new ArrayList<String>());
        for (Map.Entry<String, String> v : vars.entrySet()) {
            env.removeIf(e -> e.startsWith(v.getKey() + "="));
            env.add(v.getKey() + "=" + v.getValue());
        }
    }

    private static Map<String, String> pairs(String change, String rest) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String word : words(change, rest)) {
            int eq = word.indexOf('=');
            if (eq <= 0) throw refused(change, "expected key=value, not " + word);
            pairs.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return pairs;
    }

    private static String port(String change, String port) {
        int slash = port.indexOf('/');
        String number = slash < 0 ? port : port.substring(0, slash);
        String protocol = slash < 0 ? "tcp" : port.substring(slash + 1).toLowerCase(Locale.ROOT);
        if (!number.matches("[0-9]{1,5}(-[0-9]{1,5})?") || !List.of("tcp", "udp", "sctp").contains(protocol))
            throw refused(change, "invalid port " + port);
        return number + "/" + protocol;
    }

    /** Words split at blanks, with "double" and 'single' quotes and backslash escapes as a Dockerfile has them. */
    private static List<String> words(String change, String text) {
        return split(change, text, true);
    }

    /** The quotes and escapes removed; at blanks outside quotes split into words, or kept (one word). */
    private static List<String> split(String change, String text, boolean atBlanks) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (atBlanks && quote == 0 && Character.isWhitespace(c)) {
                if (inWord) words.add(word.toString());
                word.setLength(0);
                inWord = false;
                continue;
            }
            inWord = true;
            if (c == '\\' && quote != '\'' && i + 1 < text.length()) word.append(text.charAt(++i));
            else if (quote == 0 && (c == '"' || c == '\'')) quote = c;
            else if (c == quote) quote = 0;
            else word.append(c);
        }
        if (quote != 0) throw refused(change, "unterminated quote");
        if (inWord) words.add(word.toString());
        return words;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(String key) {
        return (Map<String, Object>) config.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) if (Character.isWhitespace(s.charAt(i))) return i;
        return -1;
    }

    private static ImageException refused(String change, String reason) {
        return new ImageException("invalid change \"" + change + "\": " + reason);
    }
}
