package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.image.ImageException;
import io.capsa.image.archive.ArchiveFormat;
import io.capsa.image.archive.ArchiveSaver;
import io.capsa.linux.Libc;
import io.capsa.spec.Quoted;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;

/** docker save, with podman's --format names for the two archives capsa writes. */
final class SaveCommand implements Command {
    @Override
    public String names() {
        return "save";
    }

    @Override
    public Usage usage() {
        return new Usage("Save one or more images to a tar archive (streamed to STDOUT by default)", "IMAGE...",
                Flag.ofText("-o, --output", "FILE", "Write to a file, instead of STDOUT"),
                Flag.ofText("--format", "FORMAT", "docker-archive or oci-archive").orElse("docker-archive"));
    }

    @Override
    public int run(Globals globals, Args args) throws Exception {
        ArchiveFormat format = switch (args.value("--format")) {
            case "docker-archive" -> ArchiveFormat.DOCKER;
            case "oci-archive" -> ArchiveFormat.OCI;
            default -> throw new UsageException("--format: unknown format " + Quoted.of(args.value("--format")) + " (docker-archive or oci-archive)");
        };
        if (args.value("--output") != null) {
            ArchiveSaver.save(globals.imageStore(), args.argsFrom(0), format, args.path("--output"));
            return Exit.OK;
        }
        // Docker's words: a tar on a terminal is noise, and likely a mistake.
        if (Libc.isatty(1)) throw new ImageException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        ArchiveSaver.save(globals.imageStore(), args.argsFrom(0), format, out);
        out.flush();
        return Exit.OK;
    }
}
