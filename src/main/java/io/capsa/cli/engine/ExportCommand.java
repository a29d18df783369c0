package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.engine.ContainerRecord;
import io.capsa.engine.Engine;
import io.capsa.engine.files.ContainerFiles;
import io.capsa.linux.Libc;
import io.capsa.runtime.CapsaException;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** docker export: the container's root file system as a tar archive, to stdout or -o FILE (whole, or not at all). */
final class ExportCommand implements Command {
    @Override
    public String names() {
        return "export";
    }

    @Override
    public Usage usage() {
        return new Usage("Export a container's filesystem as a tar archive", "CONTAINER",
                Flag.ofText("-o, --output", "FILE", "Write to a file, instead of STDOUT"));
    }

    @Override
    public int run(Globals globals, Args args) throws Exception {
        Engine engine = globals.engine();
        ContainerRecord record = engine.find(args.arg(0));
        ContainerFiles files = new ContainerFiles(engine);
        if (args.value("--output") != null) {
            Path file = args.path("--output").toAbsolutePath();
            Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            try {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
                    files.export(record, out);
                }
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            return Exit.OK;
        }
        if (Libc.isatty(1)) throw new CapsaException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        files.export(record, out);
        out.flush();
        return Exit.OK;
    }
}
