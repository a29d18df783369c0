package io.capsa.engine.files;

/** The file type bits of st_mode. */
final class FileModes {
    private FileModes() {}

    static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000, S_IFBLK = 060000,
            S_IFDIR = 040000, S_IFCHR = 020000, S_IFIFO = 010000;
}
