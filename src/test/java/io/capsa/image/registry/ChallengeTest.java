package io.capsa.image.registry;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChallengeTest {
    @Test
    void parsesBearerAndBasicChallenges() {
        Challenge hub = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");
        assertEquals("bearer", hub.scheme());
        assertEquals(Map.of("realm", "https://auth.docker.io/token", "service", "registry.docker.io", "scope", "repository:library/busybox:pull"), hub.params());

        Challenge insufficient = Challenge.parse("Bearer realm=\"http://127.0.0.1:1/token\",service=\"s\",scope=\"repository:a:pull,push\",error=\"insufficient_scope\"");
        assertEquals("repository:a:pull,push", insufficient.params().get("scope"));
        assertEquals("insufficient_scope", insufficient.params().get("error"));

        assertEquals(Map.of("realm", "a \"quoted\" realm"), Challenge.parse("Basic realm=\"a \\\"quoted\\\" realm\"").params());
        assertEquals(Map.of("realm", "bare", "x", "y"), Challenge.parse("basic realm=bare, x=y").params());
        assertEquals("basic", Challenge.parse("Basic").scheme());
    }
}
