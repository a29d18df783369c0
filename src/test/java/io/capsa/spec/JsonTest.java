package io.capsa.spec;

import com.fasterxml.jackson.jr.ob.JSON;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** capsa's JSON reader and writer, checked against jackson-jr as an independent reference. */
class JsonTest {
    private static final String DOC = """
            {"s": "a\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00", "n": [0, -1, 2147483648, 9223372036854775807,
             18446744073709551615, -9223372036854775808, 1.5, -2e3, 1E-2], "b": [true, false, null],
             "o": {"nested": {"deep": []}, "empty": {}}, "unicode": "ü→€"}
            """;

    @Test
    void aTreeMadeInJavaIsWhatParsingItsTextGives() {
        Map<Object, Object> made = new LinkedHashMap<>();
        made.put("int", 7);
        made.put("long", 1L << 40);
        made.put("big", new BigInteger("18446744073709551615"));
        made.put("float", 1.5f);
        made.put("set", new java.util.TreeSet<>(List.of("b", "a")));
        made.put(3, Map.of("nested", List.of(true, (short) 2)));
        made.put("null", null);
        assertEquals(Json.parse(Json.write(made), "made").raw(), Json.tree(made).raw());
        assertThrows(IllegalArgumentException.class, () -> Json.tree(Map.of("path", Path.of("/"))));
    }

    @Test
    void readsWhatJacksonReads() throws Exception {
        assertEquals(normal(JSON.std.anyFrom(DOC)), normal(JsonReader.read(DOC)));
    }

    @Test
    void numbersAreLongsThenBigIntegersOrDoubles() {
        List<?> n = (List<?>) ((Map<?, ?>) JsonReader.read(DOC)).get("n");
        assertEquals(2147483648L, n.get(2));
        assertEquals(Long.MAX_VALUE, n.get(3));
        assertEquals(new BigInteger("18446744073709551615"), n.get(4));
        assertEquals(Long.MIN_VALUE, n.get(5));
        assertEquals(-2000.0, n.get(7));
    }

    @Test
    void writesWhatJacksonReadsBack() throws Exception {
        Object doc = JsonReader.read(DOC);
        for (String indent : new String[] {null, "  ", "    "})
            assertEquals(normal(doc), normal(JSON.std.anyFrom(JsonWriter.write(doc, indent))));
        Map<String, Object> control = new LinkedHashMap<>();
        control.put("c", "\u0001\u001f\r");
        assertEquals(control, JSON.std.anyFrom(Json.write(control)));
    }

    @Test
    void prettyIsIndentedAsRuncPrints() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "a");
        m.put("pids", List.of(1, 2));
        m.put("empty", List.of());
        m.put("annotations", Map.of());
        assertEquals("""
                {
                  "id": "a",
                  "pids": [
                    1,
                    2
                  ],
                  "empty": [],
                  "annotations": {}
                }""", Json.pretty(m));
        assertEquals("{\"id\":\"a\",\"pids\":[1,2],\"empty\":[],\"annotations\":{}}", Json.write(m));
    }

    @Test
    void aMalformedDocumentIsOneLineWithItsPlace() {
        for (String bad : List.of("", "{", "{\"a\" 1}", "{\"a\":1,}", "[1 2]", "tru", "\"open", "01", "1.", "-",
                "{\"a\":1} x", "\"\\x\"", "\"\\u12\"", "[\"tab\there\"]", "{a:1}", "[1,]", "nul")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.read(bad), bad);
            assertTrue(e.getMessage().matches(".* at line \\d+, column \\d+"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
        assertEquals("unexpected '}' at line 2, column 7", assertThrows(IllegalArgumentException.class,
                () -> JsonReader.read("{\"a\":\n  [1, }]}")).getMessage());
    }

    @Test
    void aDocumentNestedTooDeeplyIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JsonReader.read(deep)).getMessage()
                .startsWith("nested deeper than"));
    }

    @Test
    void valuesWithoutAJsonFormAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("x", new Object())));
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Double.NaN)));
    }

    @Test
    void aWrittenFileReadsBack(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, Json.pretty(JsonReader.read(DOC)));
        assertEquals(normal(JsonReader.read(DOC)), normal(Json.read(file).raw()));
    }

    @Test
    void aDocumentLargerThanTheCapIsRefusedWithoutReadingItAll(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        SpecException e = assertThrows(SpecException.class, () -> Json.read(Path.of("/dev/zero")));
        assertEquals("/dev/zero: larger than 16 MiB, the most capsa reads", e.getMessage());
        Path missing = dir.resolve("missing.json");
        assertEquals("open " + missing + ": no such file or directory",
                assertThrows(SpecException.class, () -> Json.read(missing)).getMessage());
    }

    @Test
    void writesFloatsAsGoOnlyWhenAsked() {
        List<Object> floats = List.of(1e6, 0.25, 1e-5, 1e21, 2.5e-7, -0.0, 12345678.9);
        assertEquals("[1000000,0.25,0.00001,1e+21,2.5e-7,-0,12345678.9]", Json.writeAsGo(floats));
        // capsa's own files keep the fraction, so that a float reads back as a float
        assertEquals("[1000000.0,0.25,1.0E-5,1.0E21,2.5E-7,-0.0,1.23456789E7]", Json.write(floats));
        assertEquals(1e6, ((List<?>) JsonReader.read(Json.write(floats))).get(0));
    }

    @Test
    void escapesTheLineSeparatorsAsGo() {
        assertEquals("\"a\\u2028b\\u2029c<&>\"", Json.write("a\u2028b\u2029c<&>"));
    }

    /** Numbers as BigDecimal-free comparable values: whole numbers as BigInteger, the rest as Double. */
    private static Object normal(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, normal(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(normal(x)));
            return out;
        }
        if (v instanceof Double || v instanceof Float) return ((Number) v).doubleValue();
        if (v instanceof Number n) return new BigInteger(n.toString());
        return v;
    }
}
