package io.capsa.template;

import io.capsa.spec.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every case in cases.json, run over data.json, must print what Go's text/template (1.19, with docker's
 * functions) printed for it, or fail with Go's error message, as recorded in go-expected.json by
 * src/test/go/template-oracle. The few deliberate differences are listed in DEVIATIONS, with the reason.
 */
class GoOracleTest {
    /** Template -> what capsa prints instead of what Go 1.19 printed, for the reasons given. */
    private static final Map<String, String> DEVIATIONS = Map.ofEntries(
            // Go's reflection checks a JSON list against docker's join([]string) and refuses []interface{}.
            // capsa takes a list of strings, so that {{join .Config.Env ","}} works as it does in docker,
            // whose Env is a []string.
            Map.entry("{{join .Config.Env \",\"}}", "PATH=/usr/local/sbin:/usr/bin,REDIS_VERSION=7.2.4"),
            Map.entry("{{join (split \"a:b\" \":\") \"-\"}}", "a-b"),
            Map.entry("{{join .EmptyList \",\"}}", ""),
            Map.entry("{{join .Words \", \"}}", "b, a, c"),
            Map.entry("{{join .Words 1}}", "template: :1:14: executing \"\" at <1>: expected string; found 1"),
            Map.entry("{{join .Mixed \",\"}}",
                    "template: :1:7: executing \"\" at <.Mixed>: wrong type for value; expected []string; got []interface {}"),
            // Go refuses to compare an int with a float; docker's inspect retries on untyped JSON, where
            // {{if eq 0.0 .State.ExitCode}} works, so capsa compares them by value.
            Map.entry("{{eq .State.Pid 4242.0}}", "true"),
            Map.entry("{{eq 1.0 1}}", "true"),
            Map.entry("{{lt 1.5 2}}", "true"),
            Map.entry("{{lt 1 2.5}}", "true"),
            // named templates are refused when parsed: docker's formats never define them
            Map.entry("{{template \"x\"}}", "template: :1: {{template}} is not supported"),
            Map.entry("{{define \"x\"}}y{{end}}", "template: :1: {{define}} is not supported"),
            // {{else with}} is Go 1.23's
            Map.entry("{{with .Name}}{{else with .Id}}{{end}}", ""),
            // no complex numbers
            Map.entry("{{1i}}", "template: :1: illegal number syntax: \"1i\""));

    @Test
    void printsWhatGoPrints() throws IOException {
        Object data = sorted(Json.parse(resource("data.json"), "data.json").raw());
        List<String> failures = new ArrayList<>();
        int cases = 0;
        for (Object c : (List<?>) Json.parse(resource("go-expected.json"), "go-expected.json").raw()) {
            Map<?, ?> expected = (Map<?, ?>) c;
            String template = (String) expected.get("t");
            String want = expected.containsKey("err") ? (String) expected.get("err") : (String) expected.get("out");
            want = DEVIATIONS.getOrDefault(template, want);
            String got;
            try {
                got = Template.parse(template).execute(data);
            } catch (TemplateException e) {
                got = e.getMessage();
            }
            if (!want.equals(got)) failures.add(template + "\n    go:    " + want + "\n    capsa: " + got);
            cases++;
        }
        assertTrue(cases > 300, "cases read: " + cases);
        assertEquals("", String.join("\n", failures), failures.size() + " of " + cases + " differ");
    }

    /** Go's json sorts a map's keys; capsa writes a map in its order, so the data is handed over sorted. */
    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> s = new TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) s.put((String) e.getKey(), sorted(e.getValue()));
            return s;
        }
        if (value instanceof List<?> l) {
            List<Object> s = new ArrayList<>();
            for (Object o : l) s.add(sorted(o));
            return s;
        }
        return value;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = GoOracleTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
