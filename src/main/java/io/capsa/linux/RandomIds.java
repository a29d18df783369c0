package io.capsa.linux;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;

/**
 * IDs of 32 random bytes in hex (containers, networks), from the kernel's generator as Docker's crypto/rand reads
 * it: a SecureRandom costs a call ~6 ms (its security providers set up, in the interpreter).
 */
public final class RandomIds {
    private RandomIds() {}

    public static String next() {
        try (FileInputStream random = new FileInputStream("/dev/urandom")) {
            return HexFormat.of().formatHex(random.readNBytes(32));
        } catch (IOException e) {
            throw new UncheckedIOException("read /dev/urandom", e);
        }
    }
}
