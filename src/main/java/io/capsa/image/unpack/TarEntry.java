package io.capsa.image.unpack;

import java.util.Map;

/**
 * One member of a tar archive, after its GNU long-name and PAX headers are applied. name and linkName are
 * as the archive spells them (not yet cleaned); xattrs hold PAX SCHILY.xattr.* values byte for byte.
 */
public record TarEntry(String name, Type type, int mode, long uid, long gid, String uname, String gname,
                       long size, long mtimeSeconds, int mtimeNanos, String linkName, int devMajor, int devMinor,
                       Map<String, byte[]> xattrs) {
    public enum Type { FILE, HARDLINK, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, DIRECTORY, FIFO }
}
