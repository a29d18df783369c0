package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.engine.ContainerRecord;
import io.capsa.engine.Engine;
import io.capsa.engine.logs.LogFile;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** docker logs: the container's output from its log file, each record to the stream it came from. */
final class LogsCommand extends AliasedCommand {
    LogsCommand(String names) {
        super(names);
    }

    @Override
    public Usage usage() {
        return new Usage("Fetch the logs of a container", "CONTAINER",
                Flag.ofBoolean("-f, --follow", "Follow log output until the container exits"),
                Flag.ofText("--since", "TIME", "Show logs since a timestamp (2013-01-02T13:23:37Z) or relative (42m)"),
                Flag.ofText("--until", "TIME", "Show logs before a timestamp or relative time"),
                Flag.ofText("-n, --tail", "N", "Number of lines to show from the end of the logs").orElse("all"),
                Flag.ofBoolean("-t, --timestamps", "Show timestamps"));
    }

    @Override
    public int run(Globals globals, Args args) {
        Engine engine = globals.engine();
        ContainerRecord record = engine.find(args.arg(0));
        String tailText = args.value("--tail");
        int tail;
        try {
            tail = tailText.equals("all") ? -1 : Integer.parseInt(tailText);
        } catch (NumberFormatException e) {
            throw new UsageException("invalid value for --tail: " + tailText);
        }
        LogFile.ReadOptions options = new LogFile.ReadOptions(time(args.value("--since"), "--since"), time(args.value("--until"), "--until"),
                tail, args.flag("--timestamps"), args.flag("--follow"));
        try (FileOutputStream out = new FileOutputStream(FileDescriptor.out); FileOutputStream err = new FileOutputStream(FileDescriptor.err)) {
            LogFile.copy(engine.logFile(record.id()), options, () -> !engine.state(record).isUp(), out, err);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Exit.OK;
    }

    /** Docker's forms: an RFC 3339 time, Unix seconds, or a duration before now ("10m", "1h30m", "45s"). */
    static Instant time(String text, String flag) {
        if (text == null) return null;
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notRfc3339) {
            // one of the other forms
        }
        if (text.matches("[0-9]+(\\.[0-9]+)?")) return Instant.ofEpochMilli((long) (Double.parseDouble(text) * 1000));
        try {
            return Instant.now().minus(Duration.parse("PT" + text.toUpperCase()));
        } catch (DateTimeParseException e) {
            throw new UsageException("invalid value for " + flag + ": " + text);
        }
    }
}
