package io.capsa.cli.engine;

import io.capsa.image.Descriptor;
import io.capsa.image.Digest;
import io.capsa.image.MediaTypes;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransferProgressTest {
    private static final Descriptor CONFIG = new Descriptor(MediaTypes.OCI_CONFIG, Digest.of(new byte[] {0}), 10);
    private static final Descriptor A = new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.of(new byte[] {1}), 3_400_000);
    private static final Descriptor B = new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.of(new byte[] {2}), 500);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Test
    void plainPrintsALineAsEachLayerEndsAndNothingForTheConfig() {
        TransferProgress p = new TransferProgress(new PrintStream(bytes), false, TransferProgress.Words.PULL, "1: Pulling from test/a");
        p.started(CONFIG);
        p.done(CONFIG);
        p.skipped(B);
        p.started(A);
        p.bytes(A, 1_200_000);
        p.done(A);
        assertEquals("1: Pulling from test/a\n" + id(B) + ": Already exists\n" + id(A) + ": Pull complete\n", text());
    }

    @Test
    void liveRedrawsEveryLayerInPlace() {
        TransferProgress p = new TransferProgress(new PrintStream(bytes), true, TransferProgress.Words.PULL, "header");
        p.started(A);
        p.skipped(B);
        p.done(A);
        String text = text();
        assertTrue(text.startsWith("header\n\033[2K" + id(A) + ": Downloading  0B/3.4MB  0B/s\n\033[1A\033[2K" + id(A) + ": Downloading  0B/3.4MB  "), text);
        assertTrue(text.endsWith("\033[2A\033[2K" + id(A) + ": Pull complete\n\033[2K" + id(B) + ": Already exists\n"), text);
    }

    @Test
    void sizesAreDecimalWithThreeDigitsAsDockers() {
        assertEquals("999B", Units.humanSize(999));
        assertEquals("1.2MB", Units.humanSize(1_200_000));
        assertEquals("1.23GB", Units.humanSize(1_234_567_890));
    }

    private static String id(Descriptor d) {
        return d.digest().hex().substring(0, 12);
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
