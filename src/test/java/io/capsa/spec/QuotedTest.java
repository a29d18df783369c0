package io.capsa.spec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QuotedTest {
    @Test
    void quotesAndEscapesControlCharacters() {
        assertEquals("\"web1\"", Quoted.of("web1"));
        assertEquals("\"a\\nb\\u0000\\\"c\\\"\"", Quoted.of("a\nb\u0000\"c\""));
    }

    @Test
    void cutsLongValuesAndSaysHowLongTheyWere() {
        assertEquals("\"" + "x".repeat(100) + "\"... (10485760 characters)", Quoted.of("x".repeat(10 << 20)));
    }

    @Test
    void aMessageIsOneLineOfBoundedLength() {
        assertEquals("open /a\\nb: no such file", Quoted.line("open /a\nb: no such file"));
        assertEquals("said \"hi\"", Quoted.line("said \"hi\""), "only control characters are escaped");
        assertEquals(4096 + 3, Quoted.line("y".repeat(1 << 20)).length());
    }
}
