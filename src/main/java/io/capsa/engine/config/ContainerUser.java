package io.capsa.engine.config;

import io.capsa.runtime.CapsaException;
import io.capsa.spec.Quoted;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * -u / the image's User ("name", "uid", "name:group", "uid:gid") resolved as runc's libcontainer does,
 * through the image's /etc/passwd and /etc/group read inside the root: a name must be found; a uid that is
 * not has gid 0; without an explicit group the user's supplementary groups come from /etc/group.
 */
public record ContainerUser(long uid, long gid, List<Long> additionalGids) {
    private static final long MAX_ID = Integer.MAX_VALUE; // as runc: (uid_t) -1 would mean "unchanged"

    public static ContainerUser resolve(Path rootfs, String spec) {
        int colon = spec.indexOf(':');
        String userPart = colon < 0 ? spec : spec.substring(0, colon), groupPart = colon < 0 ? "" : spec.substring(colon + 1);
        Long givenUid = given(userPart);
        long uid = givenUid == null ? 0 : givenUid, gid = 0;
        String name = null;
        String passwd = RootPath.read(rootfs, "/etc/passwd");
        boolean found = false;
        if (passwd != null) {
            for (String line : passwd.split("\n")) {
                String[] f = line.split(":", -1);
                if (f.length < 4 || line.startsWith("#")) continue;
                boolean match = userPart.isEmpty() ? f[2].equals("0") : givenUid == null ? f[0].equals(userPart) : f[2].equals(userPart);
                Long u = id(f[2]), g = id(f[3]);
                if (!match || u == null || g == null) continue;
                uid = u;
                gid = g;
                name = f[0];
                found = true;
                break;
            }
        }
        if (!found && givenUid == null && !userPart.isEmpty())
            throw new CapsaException("unable to find user " + userPart + ": no matching entries in passwd file");
        List<Long> groups = new ArrayList<>();
        String group = RootPath.read(rootfs, "/etc/group");
        if (!groupPart.isEmpty()) {
            Long givenGid = given(groupPart);
            if (givenGid != null) return new ContainerUser(uid, givenGid, List.of());
            Long named = group == null ? null : groupId(group, groupPart);
            if (named == null) throw new CapsaException("unable to find group " + groupPart + ": no matching entries in group file");
            return new ContainerUser(uid, named, List.of());
        }
        if (group != null && name != null) {
            for (String line : group.split("\n")) {
                String[] f = line.split(":", -1);
                if (f.length < 4 || line.startsWith("#")) continue;
                Long g = id(f[2]);
                if (g != null && !groups.contains(g) && List.of(f[3].split(",")).contains(name)) groups.add(g);
            }
        }
        return new ContainerUser(uid, gid, List.copyOf(groups));
    }

    private static Long groupId(String group, String name) {
        for (String line : group.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length >= 3 && f[0].equals(name)) return id(f[2]);
        }
        return null;
    }

    /** A uid or gid of the files, or null for one that is no number in range (such an entry is skipped). */
    private static Long id(String s) {
        if (s.length() > 10 || !digits(s)) return null;
        long n = Long.parseLong(s);
        return n > MAX_ID ? null : n;
    }

    /** A uid or gid the user gave, or null for a name; a number out of range is refused. */
    private static Long given(String s) {
        Long n = id(s);
        if (n == null && digits(s))
            throw new CapsaException("user or group id " + Quoted.of(s) + " is out of range (0 to " + MAX_ID + ")");
        return n;
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return !s.isEmpty();
    }
}
