package io.capsa.image.registry;

import io.capsa.image.Descriptor;
import io.capsa.image.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;

/**
 * A blob's download as the sink reads it: counted, hashed, reported, and checked with its last byte, so that a
 * sink never gets all of a blob whose digest is wrong; it never reads past the blob's size. A connection that
 * breaks is opened again at the byte where it stopped (a Range request, or the blob again with its start
 * skipped), a few times.
 */
final class BlobStream extends InputStream {
    static final int MAX_RESUMES = 3;

    /** A fresh download of the blob, positioned at {@code offset}. */
    interface Opener {
        InputStream open(long offset) throws IOException;
    }

    private final Descriptor blob;
    private final String source;
    private final Opener opener;
    private final ProgressListener listener;
    private final MessageDigest hasher; // null when resuming: the sink has the start and checks the whole
    private InputStream in;
    private long count;
    private int resumes;
    private Digest actual; // the digest of the content, once all of it was read

    /** {@code offset}: where {@code first} starts; the bytes before it the sink has, and checks the digest itself. */
    BlobStream(Descriptor blob, String source, long offset, InputStream first, Opener opener, ProgressListener listener) {
        this.blob = blob;
        this.source = source;
        this.count = offset;
        this.hasher = offset == 0 ? blob.digest().hasher() : null;
        this.in = first;
        this.opener = opener;
        this.listener = listener;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /** The check comes with the last byte, so that a sink that reads exactly {@code size} bytes is protected too. */
    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) return 0;
        if (count == blob.size()) {
            verify();
            return -1;
        }
        cancelled();
        while (true) {
            int n;
            try {
                n = in.read(buffer, offset, (int) Math.min(length, blob.size() - count));
            } catch (IOException e) {
                resume(e);
                continue;
            }
            if (n < 0) {
                resume(new IOException("the connection ended after " + count + " of " + blob.size() + " bytes"));
                continue;
            }
            count += n;
            if (hasher != null) hasher.update(buffer, offset, n);
            listener.bytes(blob, count);
            if (count == blob.size()) verify();
            return n;
        }
    }

    /** A failed transfer next to this one interrupts it: the pull stops at the next read instead of finishing it. */
    static void cancelled() throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("cancelled");
    }

    private void resume(IOException cause) throws IOException {
        cancelled();
        if (resumes++ >= MAX_RESUMES)
            throw new IOException("download of blob " + blob.digest() + " from " + source + " broke off after " + count +
                    " of " + blob.size() + " bytes, " + MAX_RESUMES + " times: " + RegistryHttp.describe(cause), cause);
        closeQuietly();
        in = opener.open(count);
    }

    private void verify() throws BlobMismatchException {
        if (hasher == null) return;
        if (actual == null) actual = Digest.of(hasher);
        if (!actual.equals(blob.digest()))
            throw new BlobMismatchException("blob " + blob.digest() + " from " + source + " does not match its digest: its content is " + actual);
    }

    private void closeQuietly() {
        try {
            in.close();
        } catch (IOException ignored) {
            // a broken connection is replaced anyway
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
