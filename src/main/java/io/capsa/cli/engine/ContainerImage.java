package io.capsa.cli.engine;

import io.capsa.engine.Engine;
import io.capsa.image.Digest;
import io.capsa.image.ImageException;
import io.capsa.image.ImageInfo;
import io.capsa.image.reference.Reference;
import io.capsa.image.store.ImageRecord;
import io.capsa.runtime.CapsaException;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The image a run or create names, pulled first when the data root lacks it, as Docker does ("Unable to find
 * image 'x:latest' locally", then the pull's progress, on stderr: stdout is the container's).
 */
record ContainerImage(ImageRecord record, ImageInfo info, Digest id) {
    static ContainerImage find(Globals globals, String text) {
        LocalImages local = new LocalImages(globals);
        ImageRecord record;
        try {
            record = local.find(text);
        } catch (ImageException e) {
            if (!e.getMessage().startsWith("No such image")) throw e;
            Reference ref = Reference.parse(text);
            System.err.println("Unable to find image '" + LocalImages.familiar(ref.toString()) + "' locally");
            pull(globals, text);
            local = new LocalImages(globals);
            record = local.find(text);
        }
        return new ContainerImage(record, local.info(record), local.id(record));
    }

    /**
     * `capsa pull` in a process of its own, its progress on stderr: run and create start without a JIT, whose
     * interpreter would hash layers at ~4 MB/s, where a pull's JVM has one (and its own AOT cache). Its error is
     * this command's one line.
     */
    private static void pull(Globals globals, String text) {
        List<String> command = Engine.cli(globals.dataRoot(), globals.runRoot());
        command.addAll(List.of("--log-level", globals.logLevel()));
        for (String registry : globals.insecureRegistries()) command.addAll(List.of("--insecure-registry", registry));
        command.addAll(List.of("pull", text));
        try {
            Process pull = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("/proc/self/fd/2"))).start();
            String errors = new String(pull.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (pull.waitFor() == 0) {
                System.err.print(errors);
                return;
            }
            String last = errors.strip().lines().reduce((first, second) -> second).orElse("pull " + text + " failed");
            throw new CapsaException(last.startsWith("Error: ") ? last.substring("Error: ".length()) : last);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start capsa pull", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CapsaException("interrupted");
        }
    }
}
