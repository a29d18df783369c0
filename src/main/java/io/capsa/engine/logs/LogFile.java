package io.capsa.engine.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Reads a container's log as its monitor writes it (io.capsa.runtime.Monitor), the CRI format:
 * "2026-11-26T03:04:05.123456789Z stdout F text\n" per record, where P records are parts of a line that
 * the next records of that stream complete, up to an F. A message is such a line, joined; one that the log
 * ends in the middle of is written without a newline.
 */
public final class LogFile {
    private LogFile() {}

    /** since, until: null for none; tail: the last that many messages of the log (-1 = all), before since and until apply (as Docker). */
    public record ReadOptions(Instant since, Instant until, int tail, boolean timestamps, boolean follow) {}

    private static final long FOLLOW_INTERVAL_MS = 100;

    /** Writes the log's records to out/err by stream; with follow, keeps reading until ended says true and the file is drained. */
    public static void copy(Path logFile, ReadOptions options, BooleanSupplier ended, OutputStream out, OutputStream err) {
        Messages messages = new Messages(options, out, err);
        SeekableByteChannel channel = null;
        try {
            channel = open(logFile);
            messages.read(channel);
            if (options.follow()) {
                messages.endBacklog();
                for (boolean last = false; !last; ) {
                    last = ended.getAsBoolean() || options.until() != null && Instant.now().isAfter(options.until());
                    if (channel == null) channel = open(logFile); // made once the container starts
                    messages.read(channel); // what was there when ended said true
                    out.flush();
                    err.flush();
                    if (!last) Thread.sleep(FOLLOW_INTERVAL_MS);
                }
            }
            messages.finish();
            out.flush();
            err.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("read log " + logFile, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                if (channel != null) channel.close();
            } catch (IOException e) {
                // read-only: nothing lost
            }
        }
    }

    private static SeekableByteChannel open(Path logFile) throws IOException {
        try {
            return Files.newByteChannel(logFile);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** A line of one stream: the time of its first record, its bytes, and whether its F record came. */
    private static final class Message {
        final int stream;
        final String time;
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        boolean complete;

        Message(int stream, String time) {
            this.stream = stream;
            this.time = time;
        }
    }

    private static final class Messages {
        private final ReadOptions options;
        private final OutputStream[] streams;
        private final Message[] open = new Message[2]; // per stream, the message its P records began
        private ArrayDeque<Message> tail; // the backlog's last messages, while the backlog is read; null after
        private byte[] data = new byte[64 * 1024];
        private int length; // of data, the start of a record not yet ended by its newline

        Messages(ReadOptions options, OutputStream out, OutputStream err) {
            this.options = options;
            this.streams = new OutputStream[] {out, err};
            this.tail = options.tail() >= 0 ? new ArrayDeque<>() : null;
        }

        /** Reads the channel to its end; a record without its newline yet waits for the next read. */
        void read(SeekableByteChannel channel) throws IOException {
            if (channel == null) return;
            for (;;) {
                if (length == data.length) data = Arrays.copyOf(data, data.length * 2);
                int n = channel.read(ByteBuffer.wrap(data, length, data.length - length));
                if (n <= 0) return;
                int start = 0, end = length + n;
                for (int i = length; i < end; i++) {
                    if (data[i] != '\n') continue;
                    record(start, i);
                    start = i + 1;
                }
                System.arraycopy(data, start, data, 0, end - start);
                length = end - start;
            }
        }

        /** "TIME STREAM TAG TEXT" in data[from, to); a line of another form is skipped. */
        private void record(int from, int to) throws IOException {
            int timeEnd = indexOf(' ', from, to), streamEnd = timeEnd < 0 ? -1 : indexOf(' ', timeEnd + 1, to);
            if (timeEnd < 0 || streamEnd < 0 || streamEnd + 1 >= to) return;
            String name = new String(data, timeEnd + 1, streamEnd - timeEnd - 1, StandardCharsets.US_ASCII);
            int stream = name.equals("stdout") ? 0 : name.equals("stderr") ? 1 : -1;
            byte tag = data[streamEnd + 1];
            if (stream < 0 || tag != 'F' && tag != 'P') return;
            Message m = open[stream];
            if (m == null) m = open[stream] = new Message(stream, new String(data, from, timeEnd - from, StandardCharsets.US_ASCII));
            int text = Math.min(streamEnd + 3, to);
            m.text.write(data, text, to - text);
            if (tag == 'F') {
                m.complete = true;
                open[stream] = null;
                ended(m);
            }
        }

        private int indexOf(char c, int from, int to) {
            for (int i = from; i < to; i++) if (data[i] == c) return i;
            return -1;
        }

        private void ended(Message m) throws IOException {
            if (tail == null) {
                write(m);
                return;
            }
            tail.addLast(m);
            if (tail.size() > options.tail()) tail.removeFirst();
        }

        /** The backlog is read: its tail is written, and from now on each message as it ends. */
        void endBacklog() throws IOException {
            if (tail != null) for (Message m : tail) write(m);
            tail = null;
        }

        /** The log ends here: messages it ends in the middle of are written as they are. */
        void finish() throws IOException {
            for (int stream = 0; stream < 2; stream++) if (open[stream] != null) ended(open[stream]);
            endBacklog();
        }

        private void write(Message m) throws IOException {
            if (options.since() != null || options.until() != null) {
                Instant time;
                try {
                    time = Instant.parse(m.time);
                } catch (DateTimeParseException e) {
                    return; // not the monitor's record: no time to select it by
                }
                if (options.since() != null && time.isBefore(options.since())) return;
                if (options.until() != null && time.isAfter(options.until())) return;
            }
            OutputStream out = streams[m.stream];
            if (options.timestamps()) out.write((m.time + " ").getBytes(StandardCharsets.US_ASCII));
            m.text.writeTo(out);
            if (m.complete) out.write('\n');
        }
    }
}
